import type { RequestCtx, Subject } from '../../common/authz';
import type { DomainEventName } from '../../common/events';

/** The record type each event is about: a caller sees the event only if they may read that type. */
const EVENT_SUBJECTS: Record<DomainEventName, Subject> = {
  'message.received': 'Message',
  'message.sent': 'Message',
  'message.status_changed': 'Message',
  'conversation.created': 'Conversation',
  'conversation.updated': 'Conversation',
  'contact.created': 'Contact',
  'contact.merged': 'Contact',
  'ai.artifact.ready': 'AiArtifact',
  'privacy.request.completed': 'PrivacyRequest',
};

/**
 * Events carry ids only (no personal data, so nothing to mask for callers without ContactPii). A
 * role whose read rules for the type have conditions (e.g. only assigned conversations) would need
 * each record loaded to decide; such callers get none of that type's events rather than too many.
 */
export function mayReceive(ctx: Pick<RequestCtx, 'ability'>, event: DomainEventName): boolean {
  const subject = EVENT_SUBJECTS[event];
  return ctx.ability.can('read', subject) && ctx.ability.rulesFor('read', subject).every((r) => !r.conditions);
}
