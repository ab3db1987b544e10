import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';

export const fingerprint = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 32);

/** The bucket of calls that name no valid caller: anonymous ones and failed credentials. */
export const ipBucketKey = (req: FastifyRequest) => `ip:${req.ip}`;

/**
 * The caller's bucket key, read before authentication: the person behind a valid access token
 * (whichever of their tokens it is), else the token or API key, else the IP.
 */
@Injectable()
export class RateLimitCaller {
  constructor(private readonly jwt: JwtService) {}

  /** Limits are per person (API.md), so a second session or a refreshed token shares the budget. */
  async keyOf(req: FastifyRequest): Promise<string> {
    const apiKey = req.headers['x-api-key'];
    if (typeof apiKey === 'string') return `key:${fingerprint(apiKey.split('_')[1] ?? apiKey)}`;
    const auth = req.headers.authorization;
    if (!auth) return ipBucketKey(req);
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
