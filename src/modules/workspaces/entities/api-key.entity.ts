import { Entity, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

@Entity({ tableName: 'api_keys' })
@TenantScoped()
export class ApiKey extends TenantEntity {
  @Property({ type: 'text' })
  name!: string;

  /** Public lookup part of the key (unique); the rest is only stored as a hash. */
  @Property({ type: 'text' })
  prefix!: string;

  @Property({ type: 'text', hidden: true })
  hash!: string;

  @Property({ type: 'uuid' })
  roleId!: string;

  @Property({ type: 'uuid', nullable: true })
  createdBy?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt?: Date | null;
}
