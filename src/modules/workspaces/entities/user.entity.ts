import { Entity, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../../infrastructure/database';

@Entity({ tableName: 'users' })
export class User extends BaseEntity {
  @Property({ type: 'text' }) @Unique()
  email!: string;

  @Property({ type: 'text' })
  name!: string;

  /** `scrypt$N$r$p$salt$hash`; never serialized. */
  @Property({ type: 'text', hidden: true, lazy: true })
  passwordHash!: string;
}
