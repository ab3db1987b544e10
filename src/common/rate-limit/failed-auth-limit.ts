import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config';
import { ipBucketKey } from './rate-limit-caller';
import { refuseOverLimit, report } from './rate-limit-report';
import { RateLimiter } from './rate-limiter';

/**
 * A credential that fails authentication is counted against the client IP. Before authentication
 * an API key or token is its own bucket, so a caller sending a new random key each time would
 * never reach a limit; charging the IP's bucket (the one anonymous calls spend) closes that.
 */
@Injectable()
export class FailedAuthLimit {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
  ) {}

  /** Throws 429 `rate_limited` once the IP is over its limit; otherwise returns and the caller answers 401. */
  async charge(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    // Without a credential the call was already counted against the IP.
    if (req.headers['x-api-key'] === undefined && req.headers.authorization === undefined) return;
    const state = await this.limiter.hit({ key: ipBucketKey(req), limit: this.config.env.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 });
    report(req, reply, [state]);
    refuseOverLimit([state]);
  }
}
