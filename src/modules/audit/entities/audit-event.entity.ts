import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { ActorType } from '../../../common/authz';

/** Append-only: no API updates or deletes these rows. */
@Entity({ tableName: 'audit_events' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'id'] })
export class AuditEvent extends TenantEntity {
  @Property({ type: 'text' })
  actorType!: ActorType;

  @Property({ type: 'text' })
  actorId!: string;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'text', nullable: true })
  subjectType?: string | null;

  @Property({ type: 'text', nullable: true })
  subjectId?: string | null;

  @Property({ type: 'jsonb', nullable: true })
  changes?: Record<string, unknown> | null;

  @Property({ type: 'text', nullable: true })
  ip?: string | null;

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;
}
