/**
 * Hand-written Telegram Bot API updates. Shared by unit tests, e2e tests and the
 * provider sandbox.
 */
import type { WebhookRequest } from '../normalized';

type Json = Record<string, unknown>;

export const TELEGRAM_FIXTURE = {
  botToken: '7123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw',
  webhookSecret: 'tg_webhook-Secret_42',
  botId: 7123456789,
  userId: 912345678,
  /** Private chats share the user's id. */
  chatId: 912345678,
  /** Supergroup ids carry the -100 prefix. */
  groupChatId: -1001234567890,
  /** 2025-03-04T09:20:00Z */
  date: 1741080000,
  updateId: 815000001,
} as const;

const F = TELEGRAM_FIXTURE;

/** `secret: null` leaves the header out. */
export function telegramWebhookRequest(update: unknown, secret: string | null = F.webhookSecret): WebhookRequest {
  return {
    kind: 'default',
    rawBody: Buffer.from(JSON.stringify(update)),
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
  };
}

export const tgUser = (): Json => ({
  id: F.userId,
  is_bot: false,
  first_name: 'Mia',
  last_name: 'Lehmann',
  username: 'mia_l',
  language_code: 'de',
});

export const tgPrivateChat = (): Json => ({
  id: F.chatId,
  first_name: 'Mia',
  last_name: 'Lehmann',
  username: 'mia_l',
  type: 'private',
});

export const tgMessage = (messageId: number, fields: Json): Json => ({
  message_id: messageId,
  from: tgUser(),
  chat: tgPrivateChat(),
  date: F.date,
  ...fields,
});

export const tgUpdate = (part: string, value: Json, updateId: number = F.updateId): Json => ({
  update_id: updateId,
  [part]: value,
});

/** Messages the bot itself sent earlier (targets of replies/callbacks). */
export const tgBotMessage = (messageId = 40): Json => ({
  message_id: messageId,
  from: { id: F.botId, is_bot: true, first_name: 'Acme Support', username: 'acme_support_bot' },
  chat: tgPrivateChat(),
  date: F.date - 3600,
  text: 'Shall we deliver tomorrow?',
});

export const tgTextUpdate = (text = 'Hallo, wo ist meine Bestellung?', messageId = 41): Json =>
  tgUpdate('message', tgMessage(messageId, { text, reply_to_message: tgBotMessage() }));

export const tgEditedUpdate = (): Json =>
  tgUpdate('edited_message', tgMessage(41, { text: 'Hallo, wo ist meine Bestellung #1042?', edit_date: F.date + 60 }), F.updateId + 1);

export const tgPhotoUpdate = (): Json =>
  tgUpdate(
    'message',
    tgMessage(42, {
      photo: [
        { file_id: 'AgACAgIAAxkBAAIBsmall', file_unique_id: 'AQADs1', file_size: 1523, width: 90, height: 67 },
        { file_id: 'AgACAgIAAxkBAAIBmedium', file_unique_id: 'AQADm1', file_size: 20731, width: 320, height: 240 },
        { file_id: 'AgACAgIAAxkBAAIBlarge', file_unique_id: 'AQADl1', file_size: 94388, width: 1280, height: 960 },
      ],
      caption: 'Box arrived damaged',
    }),
    F.updateId + 2,
  );

export const tgDocumentUpdate = (): Json =>
  tgUpdate(
    'message',
    tgMessage(43, {
      document: {
        file_name: 'Rechnung-1042.pdf',
        mime_type: 'application/pdf',
        file_id: 'BQACAgIAAxkBAAIBdoc',
        file_unique_id: 'AgADdoc1',
        file_size: 48213,
      },
      caption: 'Invoice',
    }),
    F.updateId + 3,
  );

export const tgVoiceUpdate = (): Json =>
  tgUpdate(
    'message',
    tgMessage(44, {
      voice: { duration: 7, mime_type: 'audio/ogg', file_id: 'AwACAgIAAxkBAAIBvoice', file_unique_id: 'AgADvoice1', file_size: 18652 },
    }),
    F.updateId + 4,
  );

export const tgContactUpdate = (): Json =>
  tgUpdate(
    'message',
    tgMessage(45, {
      contact: { phone_number: '+4915112345678', first_name: 'Mia', last_name: 'Lehmann', user_id: F.userId },
    }),
    F.updateId + 5,
  );

export const tgLocationUpdate = (): Json =>
  tgUpdate('message', tgMessage(46, { location: { latitude: 52.520008, longitude: 13.404954 } }), F.updateId + 6);

export const tgCallbackQueryUpdate = (): Json =>
  tgUpdate(
    'callback_query',
    {
      id: '4382bfdwdsb323b2d9',
      from: tgUser(),
      message: { ...tgBotMessage(), reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'deliver:yes' }]] } },
      chat_instance: '-8127364512837465',
      data: 'deliver:yes',
    },
    F.updateId + 7,
  );

export const tgReactionUpdate = (newEmoji: string[] = ['👍'], oldEmoji: string[] = []): Json =>
  tgUpdate(
    'message_reaction',
    {
      chat: tgPrivateChat(),
      message_id: 40,
      user: tgUser(),
      date: F.date + 120,
      old_reaction: oldEmoji.map((emoji) => ({ type: 'emoji', emoji })),
      new_reaction: newEmoji.map((emoji) => ({ type: 'emoji', emoji })),
    },
    F.updateId + 8,
  );

/** A sendMessage / sendPhoto success answer. */
export const tgSentMessage = (messageId = 50, chatId: number = F.chatId): Json => ({
  ok: true,
  result: { ...tgBotMessage(messageId), chat: { ...tgPrivateChat(), id: chatId } },
});
