import { Injectable, Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { InjectRedis } from '../../../infrastructure/redis/redis.module';

const key = (sessionId: string) => `revoked-session:${sessionId}`;

/**
 * Sessions (refresh families) signed out or revoked for reuse, kept for one access-token lifetime:
 * an access token names its session (`sid`), so it stops working at logout instead of at expiry.
 */
@Injectable()
export class RevokedSessions {
  private readonly logger = new Logger(RevokedSessions.name);

  constructor(@InjectRedis() private readonly redis: Redis) {}

  async revoke(sessionId: string, ttlSeconds: number): Promise<void> {
    await this.redis.set(key(sessionId), '1', 'EX', ttlSeconds);
  }

  /** Fails open like the rate limiter: with Redis away, tokens live to their (short) expiry. */
  async isRevoked(sessionId: string | undefined): Promise<boolean> {
    if (!sessionId) return false;
    try {
      return (await this.redis.exists(key(sessionId))) === 1;
    } catch (e) {
      this.logger.warn(`revoked-session check unavailable, allowing token: ${(e as Error).message}`);
      return false;
    }
  }
}
