import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { AppConfig } from '../../config';
import { RateLimitCaller } from './rate-limit-caller';
import { isLimited, report, wasCounted } from './rate-limit-report';
import { RateLimiter } from './rate-limiter';

/**
 * Answers Fastify makes before any guard runs (unknown route, unparseable, too large or non-JSON
 * body) still carry RateLimit-* (API.md: every answer) and count once against the caller, so
 * junk requests are not free. Requests the guards already counted are left alone.
 */
@Injectable()
export class PreGuardRateLimitHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly caller: RateLimitCaller,
  ) {}

  onModuleInit() {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (req, reply, payload) => {
      if (!isLimited(req.url) || wasCounted(req)) return payload;
      const key = await this.caller.keyOf(req);
      report(req, reply, [await this.limiter.hit({ key, limit: this.config.env.RATE_LIMIT_PER_MINUTE, windowMs: 60_000 })]);
      return payload;
    });
  }
}
