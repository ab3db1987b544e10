import { Logger } from '@nestjs/common';
import type { CronRepeatOptions, EveryRepeatOptions, JobOptions, Queue } from 'bull';

const logger = new Logger('Enqueue');

/** Longest pause between two tries to register a repeatable job while Redis is away. */
const MAX_SCHEDULE_RETRY_MS = 60_000;

/**
 * Adds a job without letting a Redis outage stall the caller: the row is already committed and a
 * sweeper re-enqueues it, so after `timeoutMs` we answer anyway. Job ids make the late add and the
 * sweeper's add the same job.
 */
export async function enqueueSafely<T>(queue: Queue, name: string, data: T, opts: JobOptions, timeoutMs = 1000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      queue.add(name, data, opts),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`queue ${queue.name} did not answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return true;
  } catch (e) {
    logger.warn(`enqueue ${name} deferred: ${(e as Error).message}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Job states in which Bull will still run the job by itself. */
const ALIVE = new Set(['waiting', 'delayed', 'active', 'paused']);

/**
 * For sweepers that re-add a job under a fixed id (the row's id): false while Bull still holds a
 * live job of that id; otherwise a finished one it keeps (removeOnComplete/removeOnFail keep some)
 * is removed, because Bull ignores an add under a kept job's id and the row would never run again.
 */
export async function freeJobId(queue: Queue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (!job) return true;
  if (ALIVE.has(await job.getState())) return false;
  await job.remove().catch(() => undefined);
  return true;
}

const isClosing = (queue: Queue) => Boolean((queue as unknown as { closing?: Promise<void> }).closing);

/**
 * A sweeper's loop over rows whose job may be lost: each row's job is added again under the row's id
 * (`enqueue`) unless Bull still holds a live one. It stops once the queue is closing or Redis refuses
 * an add: the next sweep takes the rest, and a worker stopping during a Redis outage does not wait
 * out one timeout per row. `enqueue` answers false when the add failed, 'skipped' for a row it
 * settled otherwise.
 */
export async function requeueRows<R extends { id: string }>(queue: Queue, rows: R[], enqueue: (row: R) => Promise<boolean | 'skipped'>): Promise<number> {
  let requeued = 0;
  for (const row of rows) {
    if (isClosing(queue)) break;
    if (!(await freeJobId(queue, row.id))) continue;
    const added = await enqueue(row);
    if (added === false) break;
    if (added === true) requeued++;
  }
  return requeued;
}

/**
 * Registers a repeatable job (it then runs once per cluster, whichever worker takes it) without
 * holding up start-up: a worker that starts while Redis is away keeps trying in the background, so
 * its sweepers exist once Redis is back. Each reconnection registers it again, because a restarted
 * Redis may have kept nothing (ours runs without persistence) and the sweepers are what recover the
 * lost jobs. Registering the same job again changes nothing.
 */
export function scheduleRepeatable(queue: Queue, name: string, repeat: CronRepeatOptions | EveryRepeatOptions, retryMs = 1000): void {
  const attempt = async (waitMs: number) => {
    if (isClosing(queue)) return;
    if (await enqueueSafely(queue, name, {}, { repeat, jobId: name, removeOnComplete: true, removeOnFail: 100 })) return;
    setTimeout(() => void attempt(Math.min(waitMs * 2, MAX_SCHEDULE_RETRY_MS)), waitMs).unref();
  };
  void attempt(retryMs);
  queue.client.on('ready', () => void attempt(retryMs));
}
