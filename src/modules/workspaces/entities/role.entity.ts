import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { PermissionRule } from '../../../common/authz/permissions';

@Entity({ tableName: 'roles' })
@TenantScoped()
@Unique({ name: 'roles_workspace_lower_name', expression: 'create unique index roles_workspace_lower_name on roles (workspace_id, lower(name))' })
export class Role extends TenantEntity<'builtIn'> {
  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'boolean' })
  builtIn = false;

  /** CASL rules as JSON. */
  @Property({ type: 'jsonb' })
  permissions!: PermissionRule[];
}
