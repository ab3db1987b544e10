/**
 * Passport strategy name of the short-lived `?token=` credential of the event stream, for browser
 * EventSource clients that cannot send headers. It authenticates that one route only.
 */
export const STREAM_TOKEN_STRATEGY = 'stream-token';

/** The route (Fastify's URL template) a stream token opens. */
export const EVENTS_STREAM_ROUTE = '/v1/workspaces/:wid/events/stream';
