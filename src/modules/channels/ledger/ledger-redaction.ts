import { mentions, scrubMentions } from '../../../common/privacy';
import { parseProviderJson } from './provider-json';

/** What to do with a raw payload that mentions an erased person. */
export type LedgerErasure = { action: 'keep' } | { action: 'delete' } | { action: 'redact'; rawBody: string };

type Json = Record<string, unknown>;
const asArray = (v: unknown): Json[] => (Array.isArray(v) ? (v as Json[]) : []);

/** Who a WhatsApp item is from or about: a contact's wa_id, a message's sender, a status's recipient. */
const OWNER_FIELDS = ['wa_id', 'from', 'recipient_id', 'user_id'] as const;

/** The person's own item; another person's item that merely names them stays (and is scrubbed). */
function isThePersons(item: Json, needles: string[]): boolean {
  const owners = OWNER_FIELDS.map((f) => item[f]).filter((v) => v !== undefined);
  if (!owners.length) return mentions(item, needles);
  return owners.some((v) => needles.includes(String(v).toLowerCase()));
}

/**
 * A WhatsApp delivery can batch several people's messages and statuses: the person's items are
 * removed and whatever else still names them is scrubbed. Answers null when nothing of anyone
 * else is left (then the whole row goes).
 */
function withoutPersonWhatsapp(payload: Json, needles: string[]): Json | null {
  let othersLeft = false;
  const entries = asArray(payload.entry).map((entry) => ({
    ...entry,
    changes: asArray(entry.changes).map((change) => {
      const value = (change.value ?? {}) as Json;
      const keep = (items: unknown) => asArray(items).filter((item) => !isThePersons(item, needles));
      const next: Json = { ...value, contacts: keep(value.contacts), messages: keep(value.messages), statuses: keep(value.statuses) };
      for (const key of ['contacts', 'messages', 'statuses'] as const) if (!(key in value)) delete next[key];
      if (asArray(next.messages).length || asArray(next.statuses).length) othersLeft = true;
      return { ...change, value: next };
    }),
  }));
  return othersLeft ? (scrubMentions({ ...payload, entry: entries }, needles) as Json) : null;
}

/**
 * The erasure decision for one stored payload: untouched when it does not mention the person,
 * redacted when it also concerns other people (a WhatsApp batch), otherwise deleted. Telegram
 * updates and Postmark messages and events are about one person each.
 */
export function eraseFromPayload(channelType: string, rawBody: string, needles: string[]): LedgerErasure {
  let payload: unknown;
  try {
    payload = parseProviderJson(rawBody);
  } catch {
    return mentions(rawBody, needles) ? { action: 'delete' } : { action: 'keep' };
  }
  if (!mentions(payload, needles)) return { action: 'keep' };
  if (channelType === 'whatsapp' && payload && typeof payload === 'object' && !Array.isArray(payload)) {
    const rest = withoutPersonWhatsapp(payload as Json, needles);
    if (rest) return { action: 'redact', rawBody: JSON.stringify(rest) };
  }
  return { action: 'delete' };
}
