import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../errors';
import type { BucketState } from './rate-limiter';

/**
 * What each request has been counted against so far. Buckets are counted at different stages
 * (the caller before authentication, the workspace after membership), so the answer's headers
 * must reflect all of them; and an answer made before any guard ran is counted exactly once.
 */
const counted = new WeakMap<FastifyRequest, BucketState[]>();

export const wasCounted = (req: FastifyRequest) => counted.has(req);

/** Records `states` for this request and reports the tightest bucket it has been counted against. */
export function report(req: FastifyRequest, reply: FastifyReply, states: (BucketState | null)[]): void {
  const all = [...(counted.get(req) ?? []), ...states.filter((s): s is BucketState => !!s)];
  counted.set(req, all);
  // Fail-open (Redis unreachable) leaves nothing to report.
  if (!all.length) return;
  const tightest = all.reduce((a, b) => ((b.exceeded && !a.exceeded) || b.remaining < a.remaining ? b : a));
  reply.header('RateLimit-Limit', String(tightest.limit));
  reply.header('RateLimit-Remaining', String(tightest.remaining));
  reply.header('RateLimit-Reset', String(tightest.resetSeconds));
}

/** 429 when any of `states` is over its limit, with the longest wait among them. */
export function refuseOverLimit(states: (BucketState | null)[]): void {
  const exceeded = states.filter((s): s is BucketState => !!s?.exceeded);
  if (exceeded.length) {
    const retryAfter = Math.max(...exceeded.map((s) => s.resetSeconds));
    throw new DomainError('rate_limited', `Too many requests; retry in ${retryAfter} s.`, { retryAfter });
  }
}

/** Provider webhooks are never limited: a provider that is refused retries, or drops events. */
export const isLimited = (url: string) => url.startsWith('/v1/') && !url.startsWith('/v1/webhooks/');
