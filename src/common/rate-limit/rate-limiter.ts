import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis } from '../../infrastructure/redis/redis.module';
import { within } from '../../infrastructure/redis/redis-timeouts';

/** A limiter that cannot answer this fast lets the request through (fail open). */
const FAIL_OPEN_MS = 100;

export interface Bucket {
  key: string;
  limit: number;
  windowMs: number;
}

export interface BucketState {
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  exceeded: boolean;
}

// INCR and set the expiry only when the window starts, atomically; returns count and remaining ms.
const SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}`;

/**
 * Fixed-window counters in Redis, so every API process shares them. When Redis is unreachable the
 * limiter fails open within FAIL_OPEN_MS: availability matters more than exact limits during an outage.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger(RateLimiter.name);

  constructor(@InjectRedis() private readonly redis: Redis) {}

  async hit(bucket: Bucket): Promise<BucketState | null> {
    try {
      const [count, ttl] = (await within(this.redis.eval(SCRIPT, 1, `rl:${bucket.key}`, bucket.windowMs), FAIL_OPEN_MS, 'rate limiter')) as [number, number];
      return {
        limit: bucket.limit,
        remaining: Math.max(0, bucket.limit - count),
        resetSeconds: Math.max(1, Math.ceil(ttl / 1000)),
        exceeded: count > bucket.limit,
      };
    } catch (e) {
      this.logger.warn(`rate limiter unavailable, allowing request: ${(e as Error).message}`);
      return null;
    }
  }
}
