import { Entity, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import type { PersonalDataChannelType } from '../../../common/privacy';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export const PRIVACY_REQUEST_TYPES = ['access', 'erasure', 'restriction', 'unrestriction'] as const;
export type PrivacyRequestType = (typeof PRIVACY_REQUEST_TYPES)[number];
export const JOB_STATUSES = ['pending', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A data subject's request (GDPR art. 15, 17, 18), run as a job; kept as the record that it was done. */
@Entity({ tableName: 'privacy_requests' })
@TenantScoped()
export class PrivacyRequest extends TenantEntity<'status'> {
  @Property({ type: 'text' })
  type!: PrivacyRequestType;

  @Property({ type: 'uuid' })
  contactId!: string;

  @Property({ type: 'text', nullable: true })
  channelType?: PersonalDataChannelType | null;

  @Property({ type: 'text' })
  status: JobStatus = 'pending';

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  /** The access document in file storage, until it expires. */
  @Property({ type: 'text', nullable: true, hidden: true })
  documentKey?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'text' })
  requestedByType!: ActorType;

  @Property({ type: 'text' })
  requestedById!: string;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;
}
