import { Entity, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export const CONSENT_CHANNELS = ['email', 'whatsapp', 'telegram'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const CONSENT_STATUSES = ['opted_in', 'opted_out'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
/** What the system itself records: a STOP/START message, a provider signal, the suppression list. */
export const SYSTEM_CONSENT_SOURCES = ['inbound_keyword', 'provider', 'import'] as const;
export type SystemConsentSource = (typeof SYSTEM_CONSENT_SOURCES)[number];
/** Where businesses commonly say consent was given; any short text is accepted. */
export const COMMON_CONSENT_SOURCES = ['web_form', 'checkout', 'phone_call', 'paper_form', 'in_store', 'api'] as const;
export const CONSENT_SOURCE_MAX_LENGTH = 64;

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

  /** Free text from clients (`web_form`, `phone_call`, …) or a `SystemConsentSource`. */
  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'jsonb', nullable: true })
  evidence?: Record<string, unknown> | null;

  @Property({ type: 'text' })
  actorType!: ActorType;

  @Property({ type: 'text' })
  actorId!: string;
}
