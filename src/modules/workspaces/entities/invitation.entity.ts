import { Entity, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

@Entity({ tableName: 'invitations' })
@TenantScoped()
export class Invitation extends TenantEntity {
  @Property({ type: 'uuid' })
  membershipId!: string;

  /** sha256 of the token handed out once. */
  @Property({ type: 'text', hidden: true })
  tokenHash!: string;

  @Property({ type: 'timestamptz' })
  expiresAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acceptedAt?: Date | null;
}
