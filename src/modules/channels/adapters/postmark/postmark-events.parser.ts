import { asString, compact, getCI, parseDate } from '../adapter-utils';
import {
  emptyParse,
  type ConsentSignal,
  type NormalizedStatusUpdate,
  type ParsedWebhook,
} from '../normalized';

/**
 * Bounce types after which the address cannot get mail: Postmark deactivates it (a later send is
 * 406 Inactive recipient). TypeCode 1 (HardBounce) is the only code the official SDK pins down.
 */
const HARD_BOUNCE_TYPES = new Set(['HardBounce', 'BadEmailAddress', 'ManuallyDeactivated']);
const HARD_BOUNCE_TYPE_CODE = 1;

const field = (payload: unknown, key: string): string | undefined => asString(getCI(payload, key));

/** Our message id, echoed back from the `Metadata` we set on send. */
const ourMessageId = (payload: unknown): string | undefined =>
  field(getCI(payload, 'Metadata'), 'messageId');

const eventDate = (payload: unknown, key: string): Date => parseDate(getCI(payload, key)) ?? new Date();

const lowerEmail = (value: string | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

function statusOnly(update: NormalizedStatusUpdate): ParsedWebhook {
  return { ...emptyParse(), statuses: [compact(update)] };
}

function delivery(payload: unknown): ParsedWebhook {
  const providerMessageId = field(payload, 'MessageID');
  if (!providerMessageId) return emptyParse('postmark Delivery: missing MessageID');
  return statusOnly({
    providerMessageId,
    status: 'delivered',
    at: eventDate(payload, 'DeliveredAt'),
    recipient: lowerEmail(field(payload, 'Recipient')),
    ourMessageId: ourMessageId(payload),
  });
}

/**
 * Only a hard bounce fails the message and marks the address undeliverable. Soft ones (Transient,
 * SoftBounce, DnsError, AutoResponder, SpamNotification…) leave the address active at Postmark,
 * which deactivates only after a hard bounce, a complaint or a manual suppression, so the message
 * is not known to be lost; the event stays in the ledger and changes nothing.
 */
function bounce(payload: unknown): ParsedWebhook {
  const providerMessageId = field(payload, 'MessageID');
  if (!providerMessageId) return emptyParse('postmark Bounce: missing MessageID');
  const type = field(payload, 'Type');
  const typeCode = getCI(payload, 'TypeCode');
  if (!(HARD_BOUNCE_TYPES.has(type ?? '') || typeCode === HARD_BOUNCE_TYPE_CODE)) return emptyParse();
  return statusOnly({
    providerMessageId,
    status: 'failed',
    at: eventDate(payload, 'BouncedAt'),
    recipient: lowerEmail(field(payload, 'Email')),
    error: {
      code: asString(typeCode) ?? type ?? 'bounce',
      message: field(payload, 'Description') ?? field(payload, 'Name') ?? 'bounced',
    },
    recipientUndeliverable: true,
    ourMessageId: ourMessageId(payload),
  });
}

/** A complaint both fails the message (already delivered: a complaint follows delivery) and withdraws consent for the address. */
function spamComplaint(payload: unknown): ParsedWebhook {
  const providerMessageId = field(payload, 'MessageID');
  const email = lowerEmail(field(payload, 'Email'));
  if (!providerMessageId || !email) return emptyParse('postmark SpamComplaint: missing MessageID or Email');
  const at = eventDate(payload, 'BouncedAt');
  const consent: ConsentSignal = {
    identifier: { kind: 'email', value: email },
    status: 'opted_out',
    reason: 'spam_complaint',
    at,
    evidence: compact({
      provider: 'postmark',
      recordType: 'SpamComplaint',
      // String(): the bounce ID is 64-bit; a lossless JSON parser may hand it over as string/bigint.
      id: asString(getCI(payload, 'ID')),
      messageId: providerMessageId,
      description: field(payload, 'Description'),
    }),
  };
  return {
    ...statusOnly({
      providerMessageId,
      status: 'failed',
      at,
      recipient: email,
      error: { code: 'spam_complaint', message: field(payload, 'Description') ?? 'recipient marked the message as spam' },
      complaint: true,
      ourMessageId: ourMessageId(payload),
    }),
    consents: [consent],
  };
}

/**
 * SuppressSending true is an opt-out. False is the business reactivating the address in Postmark,
 * not the person's consent, so it records nothing: a customer who opted out stays opted out.
 */
function subscriptionChange(payload: unknown): ParsedWebhook {
  const recipient = lowerEmail(field(payload, 'Recipient'));
  const suppress = getCI(payload, 'SuppressSending');
  if (!recipient || typeof suppress !== 'boolean') {
    return emptyParse('postmark SubscriptionChange: missing Recipient or SuppressSending');
  }
  if (!suppress) return emptyParse();
  const suppressionReason = field(payload, 'SuppressionReason');
  const consent: ConsentSignal = {
    identifier: { kind: 'email', value: recipient },
    status: 'opted_out',
    reason: suppressionReason ?? 'suppressed',
    at: eventDate(payload, 'ChangedAt'),
    evidence: compact({
      provider: 'postmark',
      recordType: 'SubscriptionChange',
      origin: field(payload, 'Origin'),
      suppressionReason,
      suppressSending: suppress,
      messageId: field(payload, 'MessageID'),
      messageStream: field(payload, 'MessageStream'),
    }),
  };
  return { ...emptyParse(), consents: [consent] };
}

/** Postmark outbound event webhooks; routed on RecordType, never on TypeCode (sources disagree on it). */
export function parsePostmarkEvent(payload: unknown): ParsedWebhook {
  const recordType = field(payload, 'RecordType');
  switch (recordType) {
    case 'Delivery':
      return delivery(payload);
    case 'Bounce':
      return bounce(payload);
    case 'SpamComplaint':
      return spamComplaint(payload);
    case 'SubscriptionChange':
      return subscriptionChange(payload);
    case 'Open':
    case 'Click':
      // Opens/clicks are unreliable (image proxies, link scanners), so they never mark a message
      // read; still a known event, hence no ignoredReason.
      return emptyParse();
    default:
      return emptyParse(`postmark event: unsupported RecordType ${recordType ?? '(missing)'}`);
  }
}
