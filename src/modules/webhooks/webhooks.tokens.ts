/**
 * String alias of the delivery clock for the e2e tests, which boot the app in an isolated module
 * registry where a test file's copy of a class is not the app's (see messaging.tokens.ts).
 */
export const WEBHOOK_CLOCK = 'WebhookClock';
