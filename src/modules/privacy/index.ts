export { PrivacyModule } from './privacy.module';
export { PRIVACY_JOBS, PRIVACY_RETENTION, WORKSPACE_PURGE } from './privacy.tokens';
export { USAGE_RETENTION_MONTHS } from './retention/retention.service';
