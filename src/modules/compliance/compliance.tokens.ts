/** String token for tests, which load the app in an isolated module registry. */
export const COMPLIANCE_SERVICE = 'COMPLIANCE_SERVICE';
