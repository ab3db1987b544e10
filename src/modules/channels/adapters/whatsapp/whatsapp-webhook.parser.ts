import { asNumber, asRecord, asRecords, asString, compact, dateFromUnixSeconds } from '../adapter-utils';
import {
  emptyParse,
  type DeliveryStatus,
  type NormalizedInboundMessage,
  type NormalizedStatusUpdate,
  type ParsedWebhook,
  type SenderIdentity,
} from '../normalized';

type Json = Record<string, unknown>;

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];
const isMediaType = (t: string | undefined): t is MediaType => MEDIA_TYPES.includes(t as MediaType);

/** Statuses we model; 'played', 'deleted' and future values are skipped. */
const KNOWN_STATUSES: readonly DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];

/** The `value` objects of every entry × change with field 'messages' (batches may hold many). */
export function messageChangeValues(payload: unknown): Json[] {
  return asRecords(asRecord(payload)?.entry).flatMap((entry) =>
    asRecords(entry.changes)
      .filter((change) => change.field === 'messages')
      .map((change) => asRecord(change.value))
      .filter((value): value is Json => value !== undefined),
  );
}

function sender(waId: string, contacts: unknown): SenderIdentity {
  const contact = asRecords(contacts).find((c) => asString(c.wa_id) === waId);
  return compact<SenderIdentity>({
    kind: 'whatsapp',
    value: waId,
    displayName: asString(asRecord(contact?.profile)?.name),
    // A wa_id is normally the phone number in digits; anything else is not a phone.
    phone: /^\d+$/.test(waId) ? waId : undefined,
  });
}

type Content = Pick<NormalizedInboundMessage, 'type' | 'text' | 'media' | 'location' | 'contacts' | 'interactive'>;

function mediaContent(type: MediaType, media: Json | undefined): Content {
  return {
    type,
    text: asString(media?.caption),
    media: [
      compact({
        providerFileId: asString(media?.id),
        contentType: asString(media?.mime_type),
        sha256: asString(media?.sha256),
        filename: asString(media?.filename),
      }),
    ],
  };
}

function interactiveContent(interactive: Json | undefined): Content | undefined {
  const kind = asString(interactive?.type);
  if (kind !== 'button_reply' && kind !== 'list_reply') return undefined; // e.g. nfm_reply (Flows)
  const reply = asRecord(interactive?.[kind]);
  const title = asString(reply?.title);
  return { type: 'interactive_reply', text: title, interactive: compact({ id: asString(reply?.id), title }) };
}

/** Maps the type-specific part of a message; undefined means we do not support it. */
function content(msg: Json): Content | undefined {
  const type = asString(msg.type);
  if (isMediaType(type)) return mediaContent(type, asRecord(msg[type]));
  switch (type) {
    case 'text':
      return { type: 'text', text: asString(asRecord(msg.text)?.body) };
    case 'location': {
      const loc = asRecord(msg.location);
      const latitude = asNumber(loc?.latitude);
      const longitude = asNumber(loc?.longitude);
      if (latitude === undefined || longitude === undefined) return undefined;
      return { type: 'location', location: compact({ latitude, longitude, name: asString(loc?.name), address: asString(loc?.address) }) };
    }
    case 'contacts':
      return {
        type: 'contact',
        contacts: asRecords(msg.contacts).map((c) => {
          const phone = asRecords(c.phones)[0];
          return compact({ name: asString(asRecord(c.name)?.formatted_name), phone: asString(phone?.phone), waId: asString(phone?.wa_id) });
        }),
      };
    case 'interactive':
      return interactiveContent(asRecord(msg.interactive));
    case 'button': {
      const button = asRecord(msg.button);
      const title = asString(button?.text);
      return { type: 'interactive_reply', text: title, interactive: compact({ payload: asString(button?.payload), title }) };
    }
    default:
      return undefined; // unsupported, order, system and future types
  }
}

function addMessage(result: ParsedWebhook, msg: Json, contacts: unknown): void {
  const id = asString(msg.id);
  const waId = asString(msg.from);
  if (!id || !waId) return;
  const from = sender(waId, contacts);
  const at = dateFromUnixSeconds(msg.timestamp) ?? new Date();

  if (msg.type === 'reaction') {
    const reaction = asRecord(msg.reaction);
    const target = asString(reaction?.message_id);
    // An empty emoji is WhatsApp's way of removing a reaction, so '' is kept rather than dropped.
    const emoji = typeof reaction?.emoji === 'string' ? reaction.emoji : '';
    if (target) result.reactions.push({ providerMessageId: id, targetProviderMessageId: target, emoji, from, at });
    return;
  }

  const unsupported: Content = { type: 'unsupported' };
  result.messages.push(
    compact<NormalizedInboundMessage>({
      providerMessageId: id,
      sentAt: at,
      from,
      ...(content(msg) ?? unsupported),
      replyToProviderMessageId: asString(asRecord(msg.context)?.id),
      raw: msg,
    }),
  );
}

function addStatus(result: ParsedWebhook, st: Json): void {
  const id = asString(st.id);
  const status = asString(st.status) as DeliveryStatus | undefined;
  if (!id || !status || !KNOWN_STATUSES.includes(status)) return;
  const error = asRecords(st.errors)[0];
  result.statuses.push(
    compact<NormalizedStatusUpdate>({
      providerMessageId: id,
      status,
      at: dateFromUnixSeconds(st.timestamp) ?? new Date(),
      recipient: asString(st.recipient_id),
      error: error
        ? { code: asString(error.code) ?? 'unknown', message: asString(error.title) ?? asString(error.message) ?? 'failed' }
        : undefined,
      // We send our message id as biz_opaque_callback_data; Meta echoes it on statuses.
      ourMessageId: asString(st.biz_opaque_callback_data),
    }),
  );
}

export function parseWhatsAppWebhook(payload: unknown): ParsedWebhook {
  const root = asRecord(payload);
  if (root?.object !== 'whatsapp_business_account' || !Array.isArray(root.entry)) {
    return emptyParse('whatsapp: not a whatsapp_business_account notification');
  }
  const result = emptyParse();
  for (const value of messageChangeValues(payload)) {
    for (const msg of asRecords(value.messages)) addMessage(result, msg, value.contacts);
    for (const st of asRecords(value.statuses)) addStatus(result, st);
  }
  const produced = result.messages.length + result.reactions.length + result.statuses.length;
  return produced > 0 ? result : emptyParse('whatsapp: no supported messages or statuses');
}

/**
 * PROVIDERS.md: a `failed` status also carries its errors[].code, so a later failure of the same
 * message for another reason is a new event rather than a redelivery.
 */
function statusDedupeKey(s: Record<string, unknown>): string[] {
  const id = asString(s.id);
  const status = asString(s.status);
  if (!id || !status) return [];
  const codes = status === 'failed' ? asRecords(s.errors).flatMap((e) => asString(e.code) ?? []) : [];
  return [codes.length ? `wa:st:${id}:${status}:${codes.join(',')}` : `wa:st:${id}:${status}`];
}

/** Natural keys: the wamid per inbound message, (wamid, status[, error codes]) per status event. */
export function whatsAppDedupeKeys(payload: unknown): string[] {
  return messageChangeValues(payload).flatMap((value) => [
    ...asRecords(value.messages).flatMap((m) => (asString(m.id) ? [`wa:msg:${asString(m.id)}`] : [])),
    ...asRecords(value.statuses).flatMap(statusDedupeKey),
  ]);
}
