import { asNumber, asRecord, asRecords, asString, compact, dateFromUnixSeconds } from '../adapter-utils';
import {
  emptyParse,
  type MediaRef,
  type NormalizedInboundMessage,
  type ParsedWebhook,
  type SenderIdentity,
} from '../normalized';

type Json = Record<string, unknown>;
type Content = Pick<NormalizedInboundMessage, 'type' | 'text' | 'media' | 'location' | 'contacts'>;

/** message_id is unique per chat only, so our provider id combines both. */
export const telegramMessageId = (chatId: string, messageId: string): string => `${chatId}:${messageId}`;

function messageKey(msg: Json | undefined): { chatId: string; id: string } | undefined {
  const chatId = asString(asRecord(msg?.chat)?.id);
  const messageId = asString(msg?.message_id);
  return chatId && messageId ? { chatId, id: telegramMessageId(chatId, messageId) } : undefined;
}

function userIdentity(user: Json | undefined): SenderIdentity | undefined {
  const id = asString(user?.id);
  if (!id) return undefined;
  const displayName = [asString(user?.first_name), asString(user?.last_name)].filter(Boolean).join(' ') || undefined;
  return compact<SenderIdentity>({ kind: 'telegram', value: id, displayName });
}

/** Channel posts have no `from`; the chat then stands in for the sender. */
function senderOf(msg: Json): SenderIdentity | undefined {
  const chat = asRecord(msg.sender_chat) ?? asRecord(msg.chat);
  return userIdentity(asRecord(msg.from)) ?? userIdentity(chat && { ...chat, first_name: chat.title ?? chat.first_name });
}

function file(part: Json | undefined, fallbackType?: string): MediaRef {
  return compact<MediaRef>({
    providerFileId: asString(part?.file_id),
    filename: asString(part?.file_name),
    contentType: asString(part?.mime_type) ?? fallbackType,
    size: asNumber(part?.file_size),
  });
}

function stickerType(sticker: Json): string {
  if (sticker.is_animated === true) return 'application/x-tgsticker';
  return sticker.is_video === true ? 'video/webm' : 'image/webp';
}

/** The kind-specific part of a Message; the field checks follow Telegram's "exactly one of" layout. */
function content(msg: Json): Content {
  const caption = asString(msg.caption);
  const photos = asRecords(msg.photo);
  if (typeof msg.text === 'string') return { type: 'text', text: msg.text };
  // PhotoSize arrays are smallest first; the last one is the original resolution.
  if (photos.length) return { type: 'image', text: caption, media: [file(photos[photos.length - 1], 'image/jpeg')] };
  if (asRecord(msg.voice)) return { type: 'audio', text: caption, media: [file(asRecord(msg.voice), 'audio/ogg')] };
  if (asRecord(msg.audio)) return { type: 'audio', text: caption, media: [file(asRecord(msg.audio))] };
  if (asRecord(msg.video)) return { type: 'video', text: caption, media: [file(asRecord(msg.video))] };
  if (asRecord(msg.video_note)) return { type: 'video', media: [file(asRecord(msg.video_note), 'video/mp4')] };
  // Animations also set `document` (Telegram keeps it for backward compatibility): handled here as documents.
  if (asRecord(msg.document)) return { type: 'document', text: caption, media: [file(asRecord(msg.document))] };
  const sticker = asRecord(msg.sticker);
  if (sticker) return { type: 'sticker', text: asString(sticker.emoji), media: [file(sticker, stickerType(sticker))] };
  const location = asRecord(msg.location) ?? asRecord(asRecord(msg.venue)?.location);
  const latitude = asNumber(location?.latitude);
  const longitude = asNumber(location?.longitude);
  if (latitude !== undefined && longitude !== undefined) {
    const venue = asRecord(msg.venue);
    return { type: 'location', location: compact({ latitude, longitude, name: asString(venue?.title), address: asString(venue?.address) }) };
  }
  const contact = asRecord(msg.contact);
  if (contact) {
    const name = [asString(contact.first_name), asString(contact.last_name)].filter(Boolean).join(' ') || undefined;
    return { type: 'contact', contacts: [compact({ name, phone: asString(contact.phone_number), userId: asString(contact.user_id) })] };
  }
  return { type: 'unsupported', text: caption };
}

function message(msg: Json): ParsedWebhook {
  const key = messageKey(msg);
  const from = senderOf(msg);
  if (!key || !from) return emptyParse('telegram message: missing chat, message_id or sender');
  const reply = messageKey(asRecord(msg.reply_to_message));
  const normalized = compact<NormalizedInboundMessage>({
    providerMessageId: key.id,
    chatId: key.chatId,
    sentAt: dateFromUnixSeconds(msg.date) ?? new Date(),
    from,
    ...content(msg),
    replyToProviderMessageId: reply?.id,
    raw: msg,
  });
  return { ...emptyParse(), messages: [normalized] };
}

function editedMessage(msg: Json): ParsedWebhook {
  const key = messageKey(msg);
  const from = senderOf(msg);
  const text = asString(msg.text) ?? asString(msg.caption);
  // Live-location updates also arrive as edits; without text there is nothing to edit.
  if (!key || !from || text === undefined) return emptyParse('telegram edited_message: no text to apply');
  const editedAt = dateFromUnixSeconds(msg.edit_date) ?? dateFromUnixSeconds(msg.date) ?? new Date();
  return { ...emptyParse(), edits: [{ providerMessageId: key.id, text, editedAt, from }] };
}

function callbackQuery(query: Json): ParsedWebhook {
  const id = asString(query.id);
  const from = userIdentity(asRecord(query.from));
  if (!id || !from) return emptyParse('telegram callback_query: missing id or from');
  const source = asRecord(query.message);
  const data = asString(query.data);
  const normalized = compact<NormalizedInboundMessage>({
    providerMessageId: `cb:${id}`,
    chatId: asString(asRecord(source?.chat)?.id),
    // A callback has no timestamp of its own (message.date is the button message's), so use receive time.
    sentAt: new Date(),
    from,
    type: 'interactive_reply',
    text: data,
    interactive: compact({ id: data, payload: data }),
    replyToProviderMessageId: messageKey(source)?.id,
    raw: query,
  });
  return { ...emptyParse(), messages: [normalized] };
}

const emojisOf = (reactions: unknown): string[] =>
  asRecords(reactions).flatMap((r) => (r.type === 'emoji' && typeof r.emoji === 'string' ? [r.emoji] : []));

/** Best effort: one reaction per update, the newly added emoji ('' when the user removed theirs). */
function messageReaction(updateId: string, update: Json): ParsedWebhook {
  const key = messageKey(update);
  const actor = asRecord(update.actor_chat);
  const from = userIdentity(asRecord(update.user)) ?? userIdentity(actor && { ...actor, first_name: actor.title });
  if (!key || !from) return emptyParse('telegram message_reaction: missing chat, message_id or user');
  const previous = new Set(emojisOf(update.old_reaction));
  const current = emojisOf(update.new_reaction);
  const emoji = current.find((e) => !previous.has(e)) ?? current[0] ?? '';
  return {
    ...emptyParse(),
    reactions: [
      {
        // Reactions have no id of their own; update_id is unique per bot.
        providerMessageId: `reaction:${updateId}`,
        targetProviderMessageId: key.id,
        emoji,
        from,
        at: dateFromUnixSeconds(update.date) ?? new Date(),
      },
    ],
  };
}

export function parseTelegramUpdate(payload: unknown): ParsedWebhook {
  const update = asRecord(payload);
  const updateId = asString(update?.update_id);
  if (!update || !updateId) return emptyParse('telegram: not an Update (no update_id)');
  const part = (name: string): Json | undefined => asRecord(update[name]);
  const msg = part('message');
  if (msg) return message(msg);
  const edited = part('edited_message');
  if (edited) return editedMessage(edited);
  const callback = part('callback_query');
  if (callback) return callbackQuery(callback);
  const reaction = part('message_reaction');
  if (reaction) return messageReaction(updateId, reaction);
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? '(empty)';
  return emptyParse(`telegram: unsupported update kind ${kind}`);
}

export function telegramDedupeKeys(payload: unknown): string[] {
  const updateId = asString(asRecord(payload)?.update_id);
  return updateId ? [`tg:${updateId}`] : [];
}
