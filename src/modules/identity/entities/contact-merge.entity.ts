import { ArrayType, Entity, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

/** The merge journal: exactly what a merge moved, so an undo moves exactly that back. */
@Entity({ tableName: 'contact_merges' })
@TenantScoped()
export class ContactMerge extends TenantEntity<'automatic'> {
  @Property({ type: 'uuid' })
  targetContactId!: string;

  @Property({ type: 'uuid' })
  sourceContactId!: string;

  /** `manual`, `telegram_contact_card`, … */
  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'boolean' })
  automatic: boolean = false;

  @Property({ type: 'text' })
  actorType!: ActorType;

  @Property({ type: 'text' })
  actorId!: string;

  @Property({ type: ArrayType, columnType: 'uuid[]' })
  movedIdentifierIds!: string[];

  @Property({ type: ArrayType, columnType: 'uuid[]' })
  movedConsentIds!: string[];

  @Property({ type: 'timestamptz', nullable: true })
  undoneAt?: Date | null;
}
