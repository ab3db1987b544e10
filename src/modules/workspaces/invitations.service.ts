import { EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors';
import { NO_TENANT_FILTER } from '../../infrastructure/database';
import { AuditService } from '../audit';
import { toUserView } from './auth/auth.service';
import { hashPassword } from './auth/password';
import { sha256 } from './auth/secret-token';
import { TokensService } from './auth/tokens.service';
import { AcceptInvitationDto } from './dto/member.dto';
import { Invitation } from './entities/invitation.entity';
import { Membership } from './entities/membership.entity';
import { User } from './entities/user.entity';

export type AcceptResult =
  | { created: true; body: { user: ReturnType<typeof toUserView>; accessToken: string; refreshToken: string } }
  | { created: false; body: { workspaceId: string; memberId: string; status: 'active' } };

/** Invitation tokens are single-use, expire in 7 days, and are stored only as hashes. */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly tokens: TokensService,
    private readonly audit: AuditService,
  ) {}

  async accept(token: string, dto: AcceptInvitationDto, signedInUserId?: string): Promise<AcceptResult> {
    return this.em.transactional(async () => {
      const invitation = await this.em.findOne(Invitation, { tokenHash: sha256(token), acceptedAt: null }, { ...NO_TENANT_FILTER, lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!invitation || invitation.expiresAt <= new Date()) throw new NotFoundError('Invitation');
      const membership = await this.em.findOneOrFail(Membership, { id: invitation.membershipId }, NO_TENANT_FILTER);
      invitation.acceptedAt = new Date();

      if (signedInUserId) {
        const user = await this.em.findOneOrFail(User, { id: signedInUserId });
        if (user.email !== membership.email) throw new ConflictError('This invitation was sent to a different email address.');
        Object.assign(membership, { userId: user.id, status: 'active' });
        await this.em.flush();
        await this.auditJoined(membership, user.id);
        return { created: false, body: { workspaceId: membership.workspaceId, memberId: membership.id, status: 'active' } };
      }

      const missing = [!dto.name && { field: 'name', message: 'name is required for a new account' }, !dto.password && { field: 'password', message: 'password is required for a new account' }].filter(Boolean);
      if (missing.length) throw new ValidationFailedError(missing as { field: string; message: string }[]);
      if (await this.em.count(User, { email: membership.email })) {
        throw new ConflictError('An account with this email exists; sign in and accept the invitation with your token.');
      }
      const user = this.em.create(User, { email: membership.email, name: dto.name!, passwordHash: await hashPassword(dto.password!) });
      Object.assign(membership, { userId: user.id, status: 'active' });
      await this.em.flush();
      await this.auditJoined(membership, user.id);
      const pair = await this.tokens.issue(user.id);
      return { created: true, body: { user: toUserView(user), accessToken: pair.accessToken, refreshToken: pair.refreshToken } };
    });
  }

  /** The person joined by their own act, so they are the actor, in the workspace they joined. */
  private auditJoined(membership: Membership, userId: string) {
    return this.audit.record({
      workspaceId: membership.workspaceId,
      actor: { type: 'user', id: userId },
      action: 'member.joined',
      subjectType: 'Member',
      subjectId: membership.id,
      changes: { status: 'active', userId },
    });
  }
}
