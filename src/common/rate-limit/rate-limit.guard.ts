import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config';
import { fingerprint, RateLimitCaller } from './rate-limit-caller';
import { isLimited, refuseOverLimit, report } from './rate-limit-report';
import { Bucket, RateLimiter } from './rate-limiter';

const MINUTE = 60_000;
const AUTH_ROUTES = new Set(['/v1/auth/login', '/v1/auth/signup']);

/**
 * Runs before authentication so even rejected calls count: against the caller, and on
 * sign-in/sign-up also against the email and the IP. The workspace's shared budget is counted
 * later, by WorkspaceRateLimitGuard, once the caller is known to belong to it.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly caller: RateLimitCaller,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isLimited(req.url)) return true;
    const states = await Promise.all((await this.buckets(req)).map((b) => this.limiter.hit(b)));
    report(req, context.switchToHttp().getResponse<FastifyReply>(), states);
    refuseOverLimit(states);
    return true;
  }

  private async buckets(req: FastifyRequest): Promise<Bucket[]> {
    const env = this.config.env;
    const buckets: Bucket[] = [{ key: await this.caller.keyOf(req), limit: env.RATE_LIMIT_PER_MINUTE, windowMs: MINUTE }];
    if (AUTH_ROUTES.has(req.url.split('?')[0])) {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      buckets.push({ key: `auth-ip:${req.ip}`, limit: env.RATE_LIMIT_AUTH_PER_MINUTE, windowMs: MINUTE });
      if (typeof email === 'string') {
        buckets.push({ key: `auth-email:${fingerprint(email.trim().toLowerCase())}`, limit: env.RATE_LIMIT_AUTH_PER_MINUTE, windowMs: MINUTE });
      }
    }
    return buckets;
  }
}
