/**
 * String aliases of messaging services for the e2e tests, which boot the app in an isolated module
 * registry where a test file's copy of a class is not the app's (see channels.tokens.ts).
 */
export const CONVERSATIONS_MAINTENANCE = 'ConversationsMaintenance';
export const OUTBOUND_MAINTENANCE = 'OutboundMaintenance';
