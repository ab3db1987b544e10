import { Entity, Enum, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export type MembershipStatus = 'active' | 'invited';

@Entity({ tableName: 'memberships' })
@TenantScoped()
export class Membership extends TenantEntity<'status'> {
  /** Null while the invitation is pending for someone without an account. */
  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'uuid' })
  roleId!: string;

  @Enum({ items: ['active', 'invited'] })
  status: MembershipStatus = 'active';
}
