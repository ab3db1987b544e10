import { Filter, Property } from '@mikro-orm/core';
import { BaseEntity } from './base.entity';

export const TENANT_FILTER = 'tenant';

/**
 * Scopes every query of a tenant entity to the request's workspace. It is on by default and has
 * no fallback: a query without `setFilterParams('tenant', …)` fails instead of leaking rows, and
 * cross-tenant lookups (webhook routing, sign-in) must opt out with `filters: { tenant: false }`.
 */
export const TenantScoped = () =>
  Filter({
    name: TENANT_FILTER,
    cond: (args: { workspaceId: string }) => ({ workspaceId: args.workspaceId }),
    default: true,
  });

export abstract class TenantEntity<Optional = never> extends BaseEntity<Optional> {
  @Property({ type: 'uuid' })
  workspaceId!: string;
}

export const NO_TENANT_FILTER = { filters: { [TENANT_FILTER]: false } } as const;
