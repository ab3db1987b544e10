/** String aliases for the e2e tests, which load the app in an isolated module registry (see channels.tokens). */
export const PRIVACY_RETENTION = 'PrivacyRetention';
export const WORKSPACE_PURGE = 'WorkspacePurge';
export const PRIVACY_JOBS = 'PrivacyJobs';
