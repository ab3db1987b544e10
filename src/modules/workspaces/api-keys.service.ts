import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { assertCan, assertMayGrant, permittedWhere, RequestCtx } from '../../common/authz';
import { ForbiddenError, NotFoundError } from '../../common/errors';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { API_KEY_LEAD } from './auth/api-key.strategy';
import { randomToken, sha256 } from './auth/secret-token';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { ApiKey } from './entities/api-key.entity';
import { Role } from './entities/role.entity';
import { permissionsOf, RolesService } from './roles.service';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** `nz_` + 12 random letters and digits: the key's first characters, listed so a person can match a key to its entry. */
const randomPrefix = () => API_KEY_LEAD + Array.from(randomToken(24)).filter((c) => ALNUM.includes(c)).slice(0, 12).join('').padEnd(12, '0');

export interface ApiKeyView {
  id: string;
  name: string;
  role: string;
  roleId: string;
  prefix: string;
  createdBy: string | null;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly em: EntityManager,
    private readonly roles: RolesService,
  ) {}

  /** Newest first, keyset on the time-ordered id. */
  async list(ctx: RequestCtx, q: PageQuery): Promise<Page<ApiKeyView>> {
    const after = decodeIdCursor(q.cursor);
    const [keys, roles] = await Promise.all([
      this.em.find(
        ApiKey,
        { workspaceId: ctx.workspaceId, ...permittedWhere(ctx, 'read', 'ApiKey'), ...(after ? { id: { $lt: after } } : {}) },
        { orderBy: { id: 'desc' }, limit: q.limit + 1 },
      ),
      this.em.find(Role, { workspaceId: ctx.workspaceId }),
    ]);
    const roleById = new Map(roles.map((r) => [r.id, r]));
    return toPage(keys, q.limit, (k) => ({ id: k.id }), (k) => toView(k, roleById.get(k.roleId)));
  }

  /** The full key is returned once; only its hash is kept. */
  async create(ctx: RequestCtx, dto: CreateApiKeyDto): Promise<ApiKeyView & { key: string }> {
    const role = await this.roles.byReference(ctx.workspaceId, dto.role);
    if (role.name === 'owner' && ctx.roleName !== 'owner') throw new ForbiddenError('Only an owner can create an owner API key.');
    assertMayGrant(ctx, permissionsOf(role));
    const prefix = randomPrefix();
    const secret = randomToken(32);
    const key = this.em.create(ApiKey, {
      workspaceId: ctx.workspaceId,
      name: dto.name,
      prefix,
      hash: sha256(secret),
      roleId: role.id,
      createdBy: ctx.userId ?? ctx.actor.id,
      expiresAt: dto.expiresAt ?? null,
    });
    await this.em.persistAndFlush(key);
    return { ...toView(key, role), key: `${prefix}_${secret}` };
  }

  async revoke(ctx: RequestCtx, id: string): Promise<void> {
    const key = await this.em.findOne(ApiKey, { id, workspaceId: ctx.workspaceId });
    if (!key) throw new NotFoundError('API key');
    assertCan(ctx, 'delete', 'ApiKey', key);
    key.revokedAt ??= new Date();
    await this.em.flush();
  }
}

const toView = (k: ApiKey, role: Role | undefined): ApiKeyView => ({
  id: k.id,
  name: k.name,
  role: role?.name ?? 'unknown',
  roleId: k.roleId,
  prefix: k.prefix,
  createdBy: k.createdBy ?? null,
  lastUsedAt: k.lastUsedAt ?? null,
  expiresAt: k.expiresAt ?? null,
  revokedAt: k.revokedAt ?? null,
  createdAt: k.createdAt,
});
