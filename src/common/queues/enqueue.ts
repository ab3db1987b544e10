import { Logger } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';

const logger = new Logger('Enqueue');

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
    logger.warn(`enqueue ${name} deferred to the sweeper: ${(e as Error).message}`);
    return false;
  } finally {
    clearTimeout(timer);
  }
}
