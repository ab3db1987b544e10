import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { NO_TENANT_FILTER } from '../../../infrastructure/database';
import { AuditService } from '../../audit';
import { Membership } from '../entities/membership.entity';

/**
 * Account-level events (sign-in, sign-out, refresh-token reuse) belong to no single workspace, so
 * each workspace the person is an active member of gets its own entry: every admin sees them.
 * IP and request id come from the request context.
 */
@Injectable()
export class PersonAuditService {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
  ) {}

  async record(userId: string, action: string, subjectType: string, subjectId: string): Promise<void> {
    const memberships = await this.em.find(Membership, { userId, status: 'active' }, NO_TENANT_FILTER);
    for (const m of memberships) {
      await this.audit.record({ workspaceId: m.workspaceId, actor: { type: 'user', id: userId }, action, subjectType, subjectId });
    }
  }
}
