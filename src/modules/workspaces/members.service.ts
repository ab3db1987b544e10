import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Action, assertCan, assertMayGrant, permittedWhere, RequestCtx } from '../../common/authz';
import { ConflictError, ForbiddenError, NotFoundError } from '../../common/errors';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { isUniqueViolation } from '../../infrastructure/database';
import { randomToken, sha256 } from './auth/secret-token';
import { InviteMemberDto } from './dto/member.dto';
import { Invitation } from './entities/invitation.entity';
import { Membership } from './entities/membership.entity';
import { Role } from './entities/role.entity';
import { User } from './entities/user.entity';
import { permissionsOf, RolesService } from './roles.service';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

export interface MemberView {
  id: string;
  userId: string | null;
  email: string;
  name: string | null;
  role: string;
  roleId: string;
  status: string;
  invitation?: { token: string; expiresAt: Date };
}

@Injectable()
export class MembersService {
  constructor(
    private readonly em: EntityManager,
    private readonly roles: RolesService,
  ) {}

  /** Oldest first, keyset on the time-ordered id. */
  async list(ctx: RequestCtx, q: PageQuery): Promise<Page<MemberView>> {
    const after = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      Membership,
      { workspaceId: ctx.workspaceId, ...permittedWhere(ctx, 'read', 'Member'), ...(after ? { id: { $gt: after } } : {}) },
      { orderBy: { id: 'asc' }, limit: q.limit + 1 },
    );
    const page = toPage(rows, q.limit, (m) => ({ id: m.id }), (m) => m);
    return { data: await this.views(ctx, page.data), nextCursor: page.nextCursor };
  }

  async invite(ctx: RequestCtx, dto: InviteMemberDto): Promise<MemberView> {
    const role = await this.roles.byReference(ctx.workspaceId, dto.role);
    this.assertMayTouchOwner(ctx, role);
    assertMayGrant(ctx, permissionsOf(role));
    const user = await this.em.findOne(User, { email: dto.email });
    const membership = this.em.create(Membership, {
      workspaceId: ctx.workspaceId,
      userId: user?.id ?? null,
      email: dto.email,
      roleId: role.id,
      status: user ? 'active' : 'invited',
    });
    let invitation: MemberView['invitation'];
    if (!user) {
      const token = randomToken();
      const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
      this.em.create(Invitation, { workspaceId: ctx.workspaceId, membershipId: membership.id, tokenHash: sha256(token), expiresAt });
      invitation = { token, expiresAt };
    }
    try {
      await this.em.flush();
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`${dto.email} is already a member or invited.`);
      throw e;
    }
    const [view] = await this.views(ctx, [membership]);
    return invitation ? { ...view, invitation } : view;
  }

  async changeRole(ctx: RequestCtx, memberId: string, roleName: string): Promise<MemberView> {
    return this.em.transactional(async (em) => {
      const membership = await this.load(ctx, memberId, 'update');
      const [current, next] = await Promise.all([this.roles.byId(ctx.workspaceId, membership.roleId), this.roles.byReference(ctx.workspaceId, roleName)]);
      this.assertMayTouchOwner(ctx, current);
      this.assertMayTouchOwner(ctx, next);
      assertMayGrant(ctx, permissionsOf(next));
      if (current.name === 'owner' && next.name !== 'owner') await this.assertAnotherActiveOwner(em, ctx, current, membership.id);
      membership.roleId = next.id;
      await em.flush();
      return (await this.views(ctx, [membership]))[0];
    });
  }

  async remove(ctx: RequestCtx, memberId: string): Promise<void> {
    await this.em.transactional(async (em) => {
      const membership = await this.load(ctx, memberId, 'delete');
      const role = await this.roles.byId(ctx.workspaceId, membership.roleId);
      this.assertMayTouchOwner(ctx, role);
      if (role.name === 'owner') await this.assertAnotherActiveOwner(em, ctx, role, membership.id);
      await em.nativeDelete(Invitation, { membershipId: membership.id });
      em.remove(membership);
      await em.flush();
    });
  }

  /** Only an owner grants, changes or removes `owner`. */
  private assertMayTouchOwner(ctx: RequestCtx, role: Role) {
    if (role.builtIn && role.name === 'owner' && ctx.roleName !== 'owner') {
      throw new ForbiddenError('Only an owner can grant, change or remove the owner role.');
    }
  }

  /**
   * An owner may go (removed or demoted) only while another *active* owner stays: an invited owner
   * never counts, so one may always be withdrawn while an active owner remains. The owner rows are
   * locked until commit, so two concurrent demotions of the last two owners cannot both pass: the
   * second re-reads the rows after the first commits and no longer sees it as an owner.
   */
  private async assertAnotherActiveOwner(em: EntityManager, ctx: RequestCtx, ownerRole: Role, targetId: string) {
    const owners = await em.execute<{ id: string; status: string }[]>(
      'select id, status from memberships where workspace_id = ? and role_id = ? for update',
      [ctx.workspaceId, ownerRole.id],
    );
    if (!owners.some((o) => o.id !== targetId && o.status === 'active')) {
      throw new ConflictError('The last owner cannot be removed or demoted.');
    }
  }

  private async load(ctx: RequestCtx, id: string, action: Action): Promise<Membership> {
    const membership = await this.em.findOne(Membership, { id });
    if (!membership) throw new NotFoundError('Member');
    assertCan(ctx, action, 'Member', membership);
    return membership;
  }

  private async views(ctx: RequestCtx, members: Membership[]): Promise<MemberView[]> {
    const userIds = members.map((m) => m.userId).filter((id): id is string => !!id);
    const [users, roles] = await Promise.all([
      userIds.length ? this.em.find(User, { id: userIds }) : [],
      this.em.find(Role, { workspaceId: ctx.workspaceId }),
    ]);
    const userById = new Map(users.map((u) => [u.id, u]));
    const roleById = new Map(roles.map((r) => [r.id, r.name]));
    return members.map((m) => ({
      id: m.id,
      userId: m.userId ?? null,
      email: m.email,
      name: m.userId ? (userById.get(m.userId)?.name ?? null) : null,
      role: roleById.get(m.roleId) ?? 'unknown',
      roleId: m.roleId,
      status: m.status,
    }));
  }
}
