import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { AppConfig } from '../../config';
import { DomainError } from '../errors';
import { Bucket, BucketState, RateLimiter } from './rate-limiter';

const MINUTE = 60_000;
const AUTH_ROUTES = new Set(['/v1/auth/login', '/v1/auth/signup']);
const fingerprint = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 32);

/**
 * Runs before authentication so even rejected calls count. Buckets: the caller (the person behind a
 * valid access token, whichever of their tokens it is; else the token or API key; the IP when there
 * is none), the workspace in the path, and on sign-in/sign-up the email and the IP. The tightest
 * bucket is reported in RateLimit-* headers on every answer.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    private readonly jwt: JwtService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<FastifyRequest<{ Params: Record<string, string> }>>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (!req.url.startsWith('/v1/') || req.url.startsWith('/v1/webhooks/')) return true;

    const states = (await Promise.all((await this.buckets(req)).map((b) => this.limiter.hit(b)))).filter((s): s is BucketState => !!s);
    if (!states.length) return true;
    const tightest = states.reduce((a, b) => (b.exceeded && !a.exceeded) || b.remaining < a.remaining ? b : a);
    reply.header('RateLimit-Limit', String(tightest.limit));
    reply.header('RateLimit-Remaining', String(tightest.remaining));
    reply.header('RateLimit-Reset', String(tightest.resetSeconds));
    const exceeded = states.filter((s) => s.exceeded);
    if (exceeded.length) {
      const retryAfter = Math.max(...exceeded.map((s) => s.resetSeconds));
      throw new DomainError('rate_limited', `Too many requests; retry in ${retryAfter} s.`, { retryAfter });
    }
    return true;
  }

  private async buckets(req: FastifyRequest<{ Params: Record<string, string> }>): Promise<Bucket[]> {
    const env = this.config.env;
    const buckets: Bucket[] = [{ key: await this.caller(req), limit: env.RATE_LIMIT_PER_MINUTE, windowMs: MINUTE }];
    if (req.params?.wid) buckets.push({ key: `ws:${req.params.wid}`, limit: env.RATE_LIMIT_WORKSPACE_PER_MINUTE, windowMs: MINUTE });
    const path = req.url.split('?')[0];
    if (AUTH_ROUTES.has(path)) {
      const email = (req.body as { email?: unknown } | undefined)?.email;
      buckets.push({ key: `auth-ip:${req.ip}`, limit: env.RATE_LIMIT_AUTH_PER_MINUTE, windowMs: MINUTE });
      if (typeof email === 'string') {
        buckets.push({ key: `auth-email:${fingerprint(email.trim().toLowerCase())}`, limit: env.RATE_LIMIT_AUTH_PER_MINUTE, windowMs: MINUTE });
      }
    }
    return buckets;
  }

  /** Limits are per person (API.md), so a second session or a refreshed token shares the budget. */
  private async caller(req: FastifyRequest): Promise<string> {
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string') return `key:${fingerprint(apiKey.split('_')[1] ?? apiKey)}`;
    const auth = req.headers.authorization;
    if (!auth) return `ip:${req.ip}`;
    const userId = await this.userIdOf(auth);
    return userId ? `user:${userId}` : `tok:${fingerprint(auth)}`;
  }

  /** Only a verified token names a person: a forged `sub` must not spend someone else's budget. */
  private async userIdOf(authorization: string): Promise<string | undefined> {
    const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
    if (!token) return undefined;
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: string; typ?: string }>(token, { algorithms: ['HS256'] });
      return payload.typ === 'access' ? payload.sub : undefined;
    } catch {
      return undefined;
    }
  }
}
