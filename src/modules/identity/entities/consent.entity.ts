import { Entity, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export const CONSENT_CHANNELS = ['email', 'whatsapp', 'telegram'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = ['opted_in', 'opted_out'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
export const CONSENT_SOURCES = ['api', 'inbound_keyword', 'provider', 'import'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** One entry of the append-only consent ledger; per channel the newest entry wins. */
@Entity({ tableName: 'contact_consents' })
@TenantScoped()
export class Consent extends TenantEntity {
  /** The only column that ever changes: merges move entries between contacts. */
  @Property({ type: 'uuid' })
  contactId!: string;

  @Property({ type: 'text' })
  channelType!: ConsentChannel;

  @Property({ type: 'text' })
  status!: ConsentStatus;

  @Property({ type: 'text' })
  source!: ConsentSource;

  @Property({ type: 'jsonb', nullable: true })
  evidence?: Record<string, unknown> | null;

  @Property({ type: 'text' })
  actorType!: ActorType;

  @Property({ type: 'text' })
  actorId!: string;
}
