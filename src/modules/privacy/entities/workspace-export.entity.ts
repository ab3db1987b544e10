import { Entity, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export const EXPORT_STATUSES = ['pending', 'running', 'completed', 'failed', 'expired'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** A whole-workspace export: NDJSON per table in one tar.gz in file storage, for 7 days. */
@Entity({ tableName: 'exports' })
@TenantScoped()
export class WorkspaceExport extends TenantEntity<'status'> {
  @Property({ type: 'text' })
  status: ExportStatus = 'pending';

  @Property({ type: 'text', nullable: true, hidden: true })
  storageKey?: string | null;

  @Property({ type: 'bigint', nullable: true })
  size?: number | null;

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'text' })
  requestedByType!: ActorType;

  @Property({ type: 'text' })
  requestedById!: string;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date | null;

  /** Requested without `read ContactPii`: emails and phone numbers are masked in the archive. */
  @Property({ type: 'boolean' })
  piiMasked = false;
}
