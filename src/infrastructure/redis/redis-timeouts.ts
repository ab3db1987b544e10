import Redis, { type RedisOptions } from 'ioredis';

/**
 * A Redis that accepts connections but never answers would otherwise hold every command (and the
 * REST call waiting on it) forever: each command of the shared client gives up after this long.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000;
/** Bull's own commands (add, getJob, the worker's scripts) get more room; its blocking clients none. */
export const QUEUE_COMMAND_TIMEOUT_MS = 5_000;

/** Rejects when `promise` has not settled within `ms` (the promise itself runs on). */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer in ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Bull's client factory: its command client gets a timeout; the subscriber and the blocking client
 * (BRPOPLPUSH waits by design) must not have one, nor a ready check or per-request retries.
 */
export function bullRedisClient(type: 'client' | 'subscriber' | 'bclient', opts: RedisOptions = {}): Redis {
  return type === 'client'
    ? new Redis({ ...opts, commandTimeout: QUEUE_COMMAND_TIMEOUT_MS })
    : new Redis({ ...opts, maxRetriesPerRequest: null, enableReadyCheck: false });
}
