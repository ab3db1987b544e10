/** String alias for the e2e tests, which load the app in an isolated module registry (see channels.tokens). */
export const USAGE_BUFFER = 'UsageBuffer';
