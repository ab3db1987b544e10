/**
 * String aliases of identity's public services for the e2e tests, which boot the app in an
 * isolated module registry where `app.get(IdentityService)` by class finds nothing.
 */
export const IDENTITY_SERVICE = 'IDENTITY_SERVICE';
export const CONTACT_MERGE_REGISTRY = 'CONTACT_MERGE_REGISTRY';
