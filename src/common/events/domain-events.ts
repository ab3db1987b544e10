/**
 * The domain event map: every event name the bus, SSE and outbound webhooks carry,
 * with its payload. Modules add payload fields here, never ad-hoc names elsewhere.
 */
export interface DomainEventMap {
  'message.received': { workspaceId: string; messageId: string; conversationId: string; contactId: string };
  'message.sent': { workspaceId: string; messageId: string; conversationId: string };
  'message.status_changed': { workspaceId: string; messageId: string; status: string };
  'conversation.created': { workspaceId: string; conversationId: string; contactId: string };
  'conversation.updated': { workspaceId: string; conversationId: string; changes: string[] };
  'contact.created': { workspaceId: string; contactId: string };
  'contact.merged': { workspaceId: string; contactId: string; sourceContactId: string; mergeId: string };
  'ai.artifact.ready': { workspaceId: string; artifactId: string; conversationId: string; kind: 'summary' | 'draft' };
  'privacy.request.completed': { workspaceId: string; requestId: string };
}

export type DomainEventName = keyof DomainEventMap;

export const DOMAIN_EVENTS = [
  'message.received',
  'message.sent',
  'message.status_changed',
  'conversation.created',
  'conversation.updated',
  'contact.created',
  'contact.merged',
  'ai.artifact.ready',
  'privacy.request.completed',
] as const satisfies readonly DomainEventName[];

export interface DomainEvent<N extends DomainEventName = DomainEventName> {
  name: N;
  payload: DomainEventMap[N];
}
