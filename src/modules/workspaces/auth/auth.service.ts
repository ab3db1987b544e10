import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictError, UnauthorizedError } from '../../../common/errors';
import { isUniqueViolation, NO_TENANT_FILTER } from '../../../infrastructure/database';
import { LoginDto, SignupDto } from '../dto/auth.dto';
import { Membership } from '../entities/membership.entity';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { toWorkspaceView } from '../workspace.view';
import { WorkspacesService } from '../workspaces.service';
import { PersonAuditService } from './person-audit.service';
import { DUMMY_HASH, hashPassword, verifyPassword } from './password';
import { TokensService } from './tokens.service';

export const toUserView = (u: User) => ({ id: u.id, email: u.email, name: u.name });

@Injectable()
export class AuthService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokensService,
    private readonly workspaces: WorkspacesService,
    private readonly personAudit: PersonAuditService,
  ) {}

  async signup(dto: SignupDto) {
    const passwordHash = await hashPassword(dto.password);
    try {
      const { user, workspace } = await this.em.transactional(async () => {
        const user = this.em.create(User, { email: dto.email, name: dto.name, passwordHash });
        const workspace = await this.workspaces.createWithOwner(user.id, user.email, dto.workspaceName);
        // The new person belongs to the new workspace only, so that is where this lands.
        await this.personAudit.record(user.id, 'auth.signed_up', 'User', user.id);
        return { user, workspace };
      });
      const pair = await this.tokens.issue(user.id);
      return { user: toUserView(user), workspace: toWorkspaceView(workspace), ...pair };
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError('An account with this email already exists.');
      throw e;
    }
  }

  /** The same 401 (and roughly the same time) for an unknown email and a wrong password. */
  async login(dto: LoginDto) {
    const user = await this.em.findOne(User, { email: dto.email }, { populate: ['passwordHash'] });
    const ok = await verifyPassword(dto.password, user?.passwordHash ?? DUMMY_HASH);
    if (user) await this.personAudit.record(user.id, ok ? 'auth.signed_in' : 'auth.sign_in_failed', 'User', user.id);
    if (!user || !ok) throw new UnauthorizedError('Invalid email or password.');
    return { user: toUserView(user), ...(await this.tokens.issue(user.id)) };
  }

  async refresh(refreshToken: string) {
    const result = await this.tokens.rotate(refreshToken);
    if (result.reused) {
      await this.personAudit.record(result.reused.userId, 'auth.refresh_token_reused', 'RefreshTokenFamily', result.reused.familyId);
      throw new UnauthorizedError('This refresh token was already used; its session has been revoked.');
    }
    return result.pair;
  }

  async logout(refreshToken: string) {
    const family = await this.tokens.revoke(refreshToken);
    await this.personAudit.record(family.userId, 'auth.signed_out', 'RefreshTokenFamily', family.familyId);
  }

  async me(userId: string) {
    const user = await this.em.findOne(User, { id: userId });
    if (!user) throw new UnauthorizedError();
    const memberships = await this.em.find(Membership, { userId, status: 'active' }, NO_TENANT_FILTER);
    const roles = await this.em.find(Role, { id: memberships.map((m) => m.roleId) }, NO_TENANT_FILTER);
    const roleName = new Map(roles.map((r) => [r.id, r.name]));
    return {
      user: toUserView(user),
      memberships: memberships.map((m) => ({ workspaceId: m.workspaceId, role: roleName.get(m.roleId) })),
    };
  }
}
