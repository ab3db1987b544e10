import type { AdvancedSettings, JobOptions } from 'bull';

/** Name of the delivery queue's backoff strategy: the runner computes each delay (see RetryDelivery). */
export const DELIVERY_BACKOFF = 'webhook-delivery';

/** Bull's own attempt limit only backstops the runner's 24 h window (about 30 attempts at the default base). */
const BULL_ATTEMPTS = 1000;

/** Thrown by the processor to have Bull attempt the delivery again after `delayMs`. */
export class RetryDelivery extends Error {
  constructor(readonly delayMs: number) {
    super(`retry in ${delayMs} ms`);
    this.name = 'RetryDelivery';
  }
}

/** The job id is the delivery id, so a late enqueue, the sweeper's and a redelivery are never two jobs. */
export const deliveryJobOptions = (deliveryId: string): JobOptions => ({
  jobId: deliveryId,
  attempts: BULL_ATTEMPTS,
  backoff: { type: DELIVERY_BACKOFF },
  removeOnComplete: true,
  removeOnFail: true,
});

export const deliveryQueueSettings: AdvancedSettings = {
  backoffStrategies: { [DELIVERY_BACKOFF]: (_made: number, err?: Error) => (err instanceof RetryDelivery ? err.delayMs : 1000) },
};
