import { Entity, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

@Entity({ tableName: 'contacts' })
@TenantScoped()
export class Contact extends TenantEntity<'processingRestricted'> {
  @Property({ type: 'text', nullable: true })
  name?: string | null;

  /** Restriction of processing (GDPR art. 18): no AI and no business-initiated sends. */
  @Property({ type: 'boolean' })
  processingRestricted: boolean = false;

  /** Set while this contact is merged into another; its routes then answer 404 with `mergedInto`. */
  @Property({ type: 'uuid', nullable: true })
  mergedIntoId?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastSeenAt?: Date | null;
}
