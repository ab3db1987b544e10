import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { DuplicateReason } from '../duplicate-heuristics';

/** A duplicate signal about two contacts that no identifier row can hold; suggested, never merged. */
@Entity({ tableName: 'contact_duplicate_hints' })
@TenantScoped()
@Unique({ properties: ['workspaceId', 'firstContactId', 'secondContactId', 'reason'] })
export class ContactDuplicateHint extends TenantEntity {
  /** The smaller id of the pair. */
  @Property({ type: 'uuid' })
  firstContactId!: string;

  @Property({ type: 'uuid' })
  secondContactId!: string;

  @Property({ type: 'text' })
  reason!: DuplicateReason;
}
