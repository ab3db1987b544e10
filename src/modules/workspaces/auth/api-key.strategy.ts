import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import type { Principal } from '../../../common/authz';
import { NO_TENANT_FILTER } from '../../../infrastructure/database';
import { ApiKey } from '../entities/api-key.entity';
import { matchesHash } from './secret-token';

/** The fixed start of every key, so secret scanners can recognize a leaked one. */
export const API_KEY_LEAD = 'nz_';
/** `nz_<12>_<secret>`; keys issued before the lead was fixed (`nzk_<12>_<secret>`) keep working. The prefix group is what is stored. */
const KEY_FORMAT = /^((?:nz|nzk)_[A-Za-z0-9]{12})_([A-Za-z0-9_-]{20,100})$/;
const TOUCH_INTERVAL_MS = 60_000;
const TOUCH_SQL = `update api_keys set last_used_at = now() where id = ? and (last_used_at is null or last_used_at < now() - interval '${TOUCH_INTERVAL_MS / 1000} seconds')`;

/** Integrations: `X-API-Key: <prefix>_<secret>`, looked up by prefix, compared by hash in constant time. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, 'api-key') {
  constructor(private readonly em: EntityManager) {
    super();
  }

  async validate(req: FastifyRequest): Promise<Principal | false> {
    const header = req.headers['x-api-key'];
    const match = typeof header === 'string' ? KEY_FORMAT.exec(header) : null;
    if (!match) return false;
    const key = await this.em.findOne(ApiKey, { prefix: match[1] }, NO_TENANT_FILTER);
    if (!key || !matchesHash(match[2], key.hash)) return false;
    const now = new Date();
    if (key.revokedAt || (key.expiresAt && key.expiresAt <= now)) return false;
    // Written at most once a minute so hot keys do not turn every request into a write. The loaded
    // value skips the round trip for a fresh key; the conditional UPDATE lets only one of several
    // concurrent requests (in any API process) write.
    if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.em.execute(TOUCH_SQL, [key.id]);
    }
    return { type: 'api_key', id: key.id, workspaceId: key.workspaceId, roleId: key.roleId };
  }
}
