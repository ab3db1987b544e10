export { BaseEntity, newId } from './base.entity';
export { TenantEntity, TenantScoped, TENANT_FILTER, NO_TENANT_FILTER } from './tenant-entity';
export { DatabaseModule } from './database.module';
export { describeDatabaseError, isDatabaseBadInput, isDatabaseUnavailable, isUniqueViolation, sqlStateOf } from './pg-errors';
export { countAffected, sqlList } from './raw-sql';
