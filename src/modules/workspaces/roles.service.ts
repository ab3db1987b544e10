import { EntityManager, raw } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { assertCan, assertMayGrant, BUILT_IN_PERMISSIONS, BUILT_IN_ROLES, BuiltInRole, PermissionRule, permittedWhere, RequestCtx, isUuid } from '../../common/authz';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { isUniqueViolation, NO_TENANT_FILTER } from '../../infrastructure/database';
import { CreateRoleDto, UpdateRoleDto } from './dto/role.dto';
import { ApiKey } from './entities/api-key.entity';
import { Membership } from './entities/membership.entity';
import { Role } from './entities/role.entity';

export interface RoleView {
  id: string;
  name: string;
  builtIn: boolean;
  permissions: PermissionRule[];
}

/** Built-in rules come from code, so improving a built-in role reaches every workspace at once. */
export const permissionsOf = (role: Pick<Role, 'builtIn' | 'name' | 'permissions'>): PermissionRule[] =>
  role.builtIn ? BUILT_IN_PERMISSIONS[role.name as BuiltInRole] ?? [] : role.permissions;

export const toRoleView = (role: Role): RoleView => ({ id: role.id, name: role.name, builtIn: role.builtIn, permissions: permissionsOf(role) });

@Injectable()
export class RolesService {
  constructor(private readonly em: EntityManager) {}

  /** Creates the four built-in role rows of a new workspace. */
  seedBuiltIns(workspaceId: string): Role[] {
    return BUILT_IN_ROLES.map((name) => this.em.create(Role, { workspaceId, name, builtIn: true, permissions: [] }));
  }

  /** Oldest first, keyset on the time-ordered id: the built-ins, seeded with the workspace, lead. */
  async list(ctx: RequestCtx, q: PageQuery): Promise<Page<RoleView>> {
    const after = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      Role,
      { workspaceId: ctx.workspaceId, ...permittedWhere(ctx, 'read', 'Role'), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: q.limit + 1 },
    );
    return toPage(rows, q.limit, (r) => ({ id: r.id }), toRoleView);
  }

  /**
   * The role a member or API key request names: its id, or its name in any case (names are unique
   * ignoring case, so at most one matches).
   */
  async byReference(workspaceId: string, reference: string, field = 'role'): Promise<Role> {
    const role =
      (isUuid(reference) ? await this.em.findOne(Role, { workspaceId, id: reference }, NO_TENANT_FILTER) : null) ??
      (await this.em.findOne(Role, { workspaceId, [raw('lower(name)')]: reference.toLowerCase() }, NO_TENANT_FILTER));
    if (!role) throw new ValidationFailedError([{ field, message: `unknown role "${reference}"` }]);
    return role;
  }

  async byId(workspaceId: string, id: string): Promise<Role> {
    const role = await this.em.findOne(Role, { workspaceId, id }, NO_TENANT_FILTER);
    if (!role) throw new NotFoundError('Role');
    return role;
  }

  async create(ctx: RequestCtx, dto: CreateRoleDto): Promise<RoleView> {
    assertNotBuiltInName(dto.name);
    const permissions = toRules(dto.permissions);
    assertMayGrant(ctx, permissions);
    const role = this.em.create(Role, { workspaceId: ctx.workspaceId, name: dto.name, builtIn: false, permissions });
    await this.flushUnique(role, dto.name);
    return toRoleView(role);
  }

  async update(ctx: RequestCtx, id: string, dto: UpdateRoleDto): Promise<RoleView> {
    const role = await this.byId(ctx.workspaceId, id);
    assertCan(ctx, 'update', 'Role', role);
    if (role.builtIn) throw new ConflictError('Built-in roles cannot be edited.');
    if (dto.name) assertNotBuiltInName(dto.name);
    if (dto.name) role.name = dto.name;
    if (dto.permissions) {
      role.permissions = toRules(dto.permissions);
      assertMayGrant(ctx, role.permissions);
    }
    await this.flushUnique(role, role.name);
    return toRoleView(role);
  }

  async remove(ctx: RequestCtx, id: string): Promise<void> {
    const role = await this.byId(ctx.workspaceId, id);
    assertCan(ctx, 'delete', 'Role', role);
    if (role.builtIn) throw new ConflictError('Built-in roles cannot be deleted.');
    const members = await this.em.count(Membership, { workspaceId: ctx.workspaceId, roleId: id });
    const keys = await this.em.count(ApiKey, { workspaceId: ctx.workspaceId, roleId: id, revokedAt: null });
    if (members + keys > 0) throw new ConflictError(`The role is in use by ${members} member(s) and ${keys} API key(s).`);
    // Revoked keys no longer use the role but still reference it; they go with it (the audit log keeps their history).
    await this.em.transactional(async (em) => {
      await em.nativeDelete(ApiKey, { workspaceId: ctx.workspaceId, roleId: id, revokedAt: { $ne: null } });
      em.remove(role);
      await em.flush();
    });
  }

  private async flushUnique(role: Role, name: string) {
    try {
      await this.em.persistAndFlush(role);
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`A role named "${name}" already exists.`);
      throw e;
    }
  }
}

/** "Admin" next to `admin` would let a list or a log line pass a custom role off as the built-in one. */
function assertNotBuiltInName(name: string) {
  if ((BUILT_IN_ROLES as readonly string[]).includes(name.toLowerCase())) throw new ConflictError(`"${name}" is a built-in role name.`);
}

const toRules = (list: CreateRoleDto['permissions']): PermissionRule[] =>
  list.map((p) => ({ action: p.action, subject: p.subject, ...(p.conditions ? { conditions: p.conditions } : {}) }));
