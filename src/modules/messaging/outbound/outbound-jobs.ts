import type { AdvancedSettings, JobOptions } from 'bull';
import type { EnvSchema } from '../../../config';

/** Name of the outbound queue's custom backoff strategy (see `outboundBackoff`). */
export const OUTBOUND_BACKOFF = 'outbound';

/**
 * Bull retries far more often than provider attempts are allowed: pacing deferrals and a busy
 * message lock also go through Bull's retry. The number of provider attempts (message_attempts
 * rows) decides when a message is `failed`, not Bull's counter.
 */
const BULL_ATTEMPT_HEADROOM = 50;

/** Thrown by the processor to have Bull run the job again after `delayMs`. */
export class RetryLater extends Error {
  constructor(
    readonly delayMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = 'RetryLater';
  }
}

/** The processor computes each delay itself (backoff, jitter, retry_after, pacing); Bull only applies it. */
export const outboundBackoff = (_attemptsMade: number, err?: Error): number => (err instanceof RetryLater ? err.delayMs : 1000);

/** One job per message: its id is the message id, so a late enqueue and the sweeper's are the same job. */
export const outboundJobOptions = (env: EnvSchema, messageId: string): JobOptions => ({
  jobId: messageId,
  attempts: env.OUTBOUND_MAX_ATTEMPTS + BULL_ATTEMPT_HEADROOM,
  backoff: { type: OUTBOUND_BACKOFF },
  removeOnComplete: true,
  removeOnFail: true,
});

/**
 * A worker holds a job's lock for `OUTBOUND_LOCK_MS`, renewed every half of it while it lives. A
 * killed worker's job keeps its lock until that runs out; a stall check (every `OUTBOUND_LOCK_MS`,
 * by any worker) then moves it back to waiting, so its send runs again. A job that stalls a second
 * time is failed by Bull, and the sweeper re-enqueues its still `queued` message.
 */
export const outboundQueueSettings = (env: EnvSchema): AdvancedSettings => ({
  lockDuration: env.OUTBOUND_LOCK_MS,
  lockRenewTime: Math.floor(env.OUTBOUND_LOCK_MS / 2),
  stalledInterval: env.OUTBOUND_LOCK_MS,
  maxStalledCount: 1,
  backoffStrategies: { [OUTBOUND_BACKOFF]: outboundBackoff },
});
