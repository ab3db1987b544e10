import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import type { Principal, RequestCtx } from '../../common/authz';
import { DomainError } from '../../common/errors';
import { InjectRedis } from '../../infrastructure/redis/redis.module';
import type { StreamTokenDto } from './dto/stream-token.dto';

export const STREAM_TOKEN_TTL_SECONDS = 60;

interface StoredToken {
  principal: Principal;
  workspaceId: string;
}

const keyOf = (token: string) => `stream-token:${createHash('sha256').update(token).digest('hex')}`;

/**
 * `?token=` credentials for EventSource clients, which cannot send headers: opaque, valid 60 s, for
 * one workspace and the event stream only, standing for the caller who minted them (whose current
 * role is still read on every connection). Kept in Redis (only a hash as key), so any process accepts them.
 */
@Injectable()
export class StreamTokensService {
  constructor(@InjectRedis() private readonly redis: Redis) {}

  async issue(ctx: RequestCtx, principal: Principal | undefined): Promise<StreamTokenDto> {
    if (!principal) throw new DomainError('unauthorized', 'A signed-in caller is required.');
    const token = `nzs_${randomBytes(24).toString('base64url')}`;
    const stored: StoredToken = { principal, workspaceId: ctx.workspaceId };
    await this.redis.set(keyOf(token), JSON.stringify(stored), 'EX', STREAM_TOKEN_TTL_SECONDS);
    return { token, expiresAt: new Date(Date.now() + STREAM_TOKEN_TTL_SECONDS * 1000) };
  }

  /** The principal behind a live token for this workspace, or null. */
  async resolve(token: string, workspaceId: string): Promise<Principal | null> {
    if (!/^nzs_[A-Za-z0-9_-]{32}$/.test(token)) return null;
    const raw = await this.redis.get(keyOf(token)).catch(() => null);
    const stored = raw ? (JSON.parse(raw) as StoredToken) : null;
    return stored && stored.workspaceId === workspaceId ? stored.principal : null;
  }
}
