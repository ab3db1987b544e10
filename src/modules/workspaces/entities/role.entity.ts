import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { PermissionRule } from '../../../common/authz/permissions';

@Entity({ tableName: 'roles' })
@TenantScoped()
@Unique({ properties: ['workspaceId', 'name'] })
export class Role extends TenantEntity<'builtIn'> {
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'boolean' })
  builtIn = false;

  /** CASL rules as JSON. */
  @Property({ type: 'jsonb' })
  permissions!: PermissionRule[];
}
