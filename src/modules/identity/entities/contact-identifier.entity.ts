import { BeforeCreate, Entity, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import { phoneMatchKey } from '../duplicate-heuristics';
import type { IdentifierKind } from '../identifier-normalizer';

@Entity({ tableName: 'contact_identifiers' })
@TenantScoped()
export class ContactIdentifier extends TenantEntity<'verified' | 'undeliverable'> {
  @Property({ type: 'uuid' })
  contactId!: string;

  @Property({ type: 'text' })
  kind!: IdentifierKind;

  /** Normalized (lower-cased email, E.164 phone, wa_id digits or BSUID, Telegram user id); unique per kind. */
  @Property({ type: 'text' })
  value!: string;

  /** The channel proved it (a message from it, the person's own contact card), not typed by someone. */
  @Property({ type: 'boolean' })
  verified: boolean = false;

  /** Where it came from: `api`, a channel type, `contact_card`, … */
  @Property({ type: 'text' })
  source!: string;

  /** Set by delivery failures (hard bounce, unknown number) so sends stop trying it. */
  @Property({ type: 'boolean' })
  undeliverable: boolean = false;

  /** Phone-like values' national number, for duplicate suggestions. */
  @Property({ type: 'text', nullable: true })
  matchKey?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  firstSeenAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSeenAt?: Date | null;

  @BeforeCreate()
  protected deriveMatchKey(): void {
    const phoneLike = this.kind === 'phone' || (this.kind === 'whatsapp' && /^\d+$/.test(this.value));
    this.matchKey = phoneLike ? phoneMatchKey(this.value) : null;
  }
}
