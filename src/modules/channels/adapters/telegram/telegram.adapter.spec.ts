import { FakeProviderServer } from '../testing/fake-provider-server';
import { ProviderError, type ChannelCredentials, type OutboundPayload } from '../normalized';
import { TelegramAdapter } from './telegram.adapter';
import {
  TELEGRAM_FIXTURE as F,
  telegramWebhookRequest,
  tgCallbackQueryUpdate,
  tgContactUpdate,
  tgDocumentUpdate,
  tgEditedUpdate,
  tgLocationUpdate,
  tgMessage,
  tgPhotoUpdate,
  tgReactionUpdate,
  tgSentMessage,
  tgTextUpdate,
  tgUpdate,
  tgVoiceUpdate,
} from './fixtures';

const adapter = new TelegramAdapter();
const creds: ChannelCredentials = {
  channelId: 'ch_tg',
  apiUrl: 'http://unused.invalid',
  botToken: F.botToken,
  webhookSecret: F.webhookSecret,
};
const mia = { kind: 'telegram', value: String(F.userId), displayName: 'Mia Lehmann' };
const sentAt = new Date('2025-03-04T09:20:00Z');
const chatId = String(F.chatId);

const parseOne = (update: Record<string, unknown>) => {
  const parsed = adapter.parse(update, 'default');
  expect(parsed.ignoredReason).toBeUndefined();
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0];
};

describe('TelegramAdapter', () => {
  it('is the telegram adapter', () => {
    expect(adapter.type).toBe('telegram');
  });

  describe('verify (X-Telegram-Bot-Api-Secret-Token)', () => {
    const update = tgTextUpdate();

    it('accepts the configured secret', () => {
      expect(adapter.verify(telegramWebhookRequest(update), creds)).toBe(true);
    });

    it('rejects a wrong secret, a prefix of it and a missing header', () => {
      expect(adapter.verify(telegramWebhookRequest(update, 'tg_webhook-Secret_43'), creds)).toBe(false);
      expect(adapter.verify(telegramWebhookRequest(update, F.webhookSecret.slice(0, 5)), creds)).toBe(false);
      expect(adapter.verify(telegramWebhookRequest(update, null), creds)).toBe(false);
      expect(adapter.verify(telegramWebhookRequest(update, ''), { ...creds, webhookSecret: '' })).toBe(false);
    });

    it('rejects when no secret is configured', () => {
      expect(adapter.verify(telegramWebhookRequest(update), { ...creds, webhookSecret: undefined })).toBe(false);
    });

    it('does not sign the body: a tampered body with the right secret still verifies', () => {
      const req = telegramWebhookRequest(update);
      req.rawBody = Buffer.from('{"update_id":1}');
      expect(adapter.verify(req, creds)).toBe(true);
    });
  });

  describe('dedupeKeys', () => {
    it('keys on update_id', () => {
      expect(adapter.dedupeKeys(tgTextUpdate(), 'default')).toEqual([`tg:${F.updateId}`]);
      expect(adapter.dedupeKeys(tgEditedUpdate(), 'default')).toEqual([`tg:${F.updateId + 1}`]);
      expect(adapter.dedupeKeys(tgCallbackQueryUpdate(), 'default')).toEqual([`tg:${F.updateId + 7}`]);
    });

    it('returns [] without update_id', () => {
      expect(adapter.dedupeKeys({ message: {} }, 'default')).toEqual([]);
      expect(adapter.dedupeKeys('x', 'default')).toEqual([]);
    });
  });

  describe('parse', () => {
    it('text message replying to a bot message', () => {
      const update = tgTextUpdate();
      expect(parseOne(update)).toEqual({
        providerMessageId: `${chatId}:41`,
        chatId,
        sentAt,
        from: mia,
        type: 'text',
        text: 'Hallo, wo ist meine Bestellung?',
        replyToProviderMessageId: `${chatId}:40`,
        raw: update.message,
      });
    });

    it('edited_message → edits[]', () => {
      const parsed = adapter.parse(tgEditedUpdate(), 'default');
      expect(parsed.messages).toEqual([]);
      expect(parsed.edits).toEqual([
        { providerMessageId: `${chatId}:41`, text: 'Hallo, wo ist meine Bestellung #1042?', editedAt: new Date('2025-03-04T09:21:00Z'), from: mia },
      ]);
    });

    it('edited_message without text (live location) is ignored', () => {
      const update = tgUpdate('edited_message', tgMessage(46, { location: { latitude: 1, longitude: 2 }, edit_date: F.date + 5 }));
      expect(adapter.parse(update, 'default').ignoredReason).toMatch(/edited_message/);
    });

    it('photo → image, largest size, caption as text', () => {
      const m = parseOne(tgPhotoUpdate());
      expect(m).toMatchObject({ providerMessageId: `${chatId}:42`, type: 'image', text: 'Box arrived damaged', from: mia, sentAt });
      expect(m.media).toEqual([{ providerFileId: 'AgACAgIAAxkBAAIBlarge', contentType: 'image/jpeg', size: 94388 }]);
    });

    it('document with filename and MIME type', () => {
      const m = parseOne(tgDocumentUpdate());
      expect(m).toMatchObject({ type: 'document', text: 'Invoice' });
      expect(m.media).toEqual([{ providerFileId: 'BQACAgIAAxkBAAIBdoc', filename: 'Rechnung-1042.pdf', contentType: 'application/pdf', size: 48213 }]);
    });

    it('voice → audio', () => {
      const m = parseOne(tgVoiceUpdate());
      expect(m.type).toBe('audio');
      expect(m.text).toBeUndefined();
      expect(m.media).toEqual([{ providerFileId: 'AwACAgIAAxkBAAIBvoice', contentType: 'audio/ogg', size: 18652 }]);
    });

    it('contact share → contact with user id', () => {
      const m = parseOne(tgContactUpdate());
      expect(m.type).toBe('contact');
      expect(m.contacts).toEqual([{ name: 'Mia Lehmann', phone: '+4915112345678', userId: String(F.userId) }]);
    });

    it('location', () => {
      const m = parseOne(tgLocationUpdate());
      expect(m).toMatchObject({ type: 'location', location: { latitude: 52.520008, longitude: 13.404954 } });
    });

    it('audio, video and sticker', () => {
      const audio = parseOne(tgUpdate('message', tgMessage(47, { audio: { file_id: 'aud', file_unique_id: 'u', duration: 3, file_name: 'song.mp3', mime_type: 'audio/mpeg' } })));
      expect(audio).toMatchObject({ type: 'audio', media: [{ providerFileId: 'aud', filename: 'song.mp3', contentType: 'audio/mpeg' }] });
      const video = parseOne(tgUpdate('message', tgMessage(48, { video: { file_id: 'vid', file_unique_id: 'u', duration: 3, width: 1, height: 1, mime_type: 'video/mp4' }, caption: 'look' })));
      expect(video).toMatchObject({ type: 'video', text: 'look', media: [{ providerFileId: 'vid', contentType: 'video/mp4' }] });
      const sticker = parseOne(tgUpdate('message', tgMessage(49, { sticker: { file_id: 'stk', file_unique_id: 'u', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '😀' } })));
      expect(sticker).toMatchObject({ type: 'sticker', text: '😀', media: [{ providerFileId: 'stk', contentType: 'image/webp' }] });
    });

    it('callback_query → interactive_reply tied to the button message', () => {
      const update = tgCallbackQueryUpdate();
      const m = parseOne(update);
      expect(m).toMatchObject({
        providerMessageId: 'cb:4382bfdwdsb323b2d9',
        chatId,
        from: mia,
        type: 'interactive_reply',
        text: 'deliver:yes',
        interactive: { id: 'deliver:yes', payload: 'deliver:yes' },
        replyToProviderMessageId: `${chatId}:40`,
        raw: update.callback_query,
      });
      expect(m.sentAt).toBeInstanceOf(Date);
    });

    it('message_reaction → reactions[] (best effort)', () => {
      const parsed = adapter.parse(tgReactionUpdate(['👍']), 'default');
      expect(parsed.reactions).toEqual([
        { providerMessageId: `reaction:${F.updateId + 8}`, targetProviderMessageId: `${chatId}:40`, emoji: '👍', from: mia, at: new Date('2025-03-04T09:22:00Z') },
      ]);
      expect(adapter.parse(tgReactionUpdate(['👍', '🔥'], ['👍']), 'default').reactions[0].emoji).toBe('🔥');
      expect(adapter.parse(tgReactionUpdate([], ['👍']), 'default').reactions[0].emoji).toBe('');
    });

    it('group message: chat id differs from the sender id', () => {
      const update = tgUpdate('message', tgMessage(7, { chat: { id: F.groupChatId, title: 'Acme customers', type: 'supergroup' }, text: 'hi' }));
      const m = parseOne(update);
      expect(m.providerMessageId).toBe('-1001234567890:7');
      expect(m.chatId).toBe('-1001234567890');
      expect(m.from.value).toBe(String(F.userId));
    });

    it('unknown message content → unsupported', () => {
      const m = parseOne(tgUpdate('message', tgMessage(60, { poll: { id: '1', question: 'Q?', options: [] } })));
      expect(m.type).toBe('unsupported');
    });

    it('unknown update kinds and garbage → ignored, never throws', () => {
      expect(adapter.parse(tgUpdate('my_chat_member', { chat: {} }), 'default').ignoredReason).toMatch(/my_chat_member/);
      expect(adapter.parse({ update_id: 1 }, 'default').ignoredReason).toBeDefined();
      expect(adapter.parse({ message: {} }, 'default').ignoredReason).toBeDefined();
      expect(adapter.parse(tgUpdate('message', { text: 'no chat' }), 'default').ignoredReason).toBeDefined();
      expect(adapter.parse(null, 'default').ignoredReason).toBeDefined();
    });
  });

  describe('HTTP calls against a fake Bot API', () => {
    let server: FakeProviderServer;
    let http: ChannelCredentials;
    const base = `/bot${F.botToken}`;
    const text: OutboundPayload = { messageId: 'our-1', to: chatId, text: 'Wir liefern morgen.', replyToProviderMessageId: `${chatId}:41` };

    beforeAll(async () => {
      server = await FakeProviderServer.start();
    });
    afterAll(() => server.close());
    beforeEach(() => {
      server.reset();
      http = { ...creds, apiUrl: server.url };
    });

    it('sendMessage with reply_parameters', async () => {
      server.on('POST', `${base}/sendMessage`, { json: tgSentMessage(50) });
      const result = await adapter.send(http, text);
      expect(result.providerMessageId).toBe(`${chatId}:50`);
      const [req] = server.requests;
      expect(req.path).toBe(`${base}/sendMessage`);
      expect(req.headers['content-type']).toBe('application/json');
      expect(FakeProviderServer.json(req)).toEqual({ chat_id: chatId, text: 'Wir liefern morgen.', reply_parameters: { message_id: 41 } });
    });

    it('sendMessage without a reply omits reply_parameters', async () => {
      server.on('POST', `${base}/sendMessage`, { json: tgSentMessage(51) });
      await adapter.send(http, { messageId: 'our-2', to: chatId, text: 'Hallo' });
      expect(FakeProviderServer.json(server.requests[0])).toEqual({ chat_id: chatId, text: 'Hallo' });
    });

    it('sendPhoto for images as multipart', async () => {
      server.on('POST', `${base}/sendPhoto`, { json: tgSentMessage(52) });
      const jpeg = Buffer.from('jpeg-bytes');
      const result = await adapter.send(http, { ...text, attachments: [{ filename: 'label.jpg', contentType: 'image/jpeg', data: jpeg }] });
      expect(result.providerMessageId).toBe(`${chatId}:52`);
      const [req] = server.requests;
      expect(req.path).toBe(`${base}/sendPhoto`);
      const form = await FakeProviderServer.formData(req);
      expect(form.get('chat_id')).toBe(chatId);
      expect(form.get('caption')).toBe('Wir liefern morgen.');
      expect(JSON.parse(String(form.get('reply_parameters')))).toEqual({ message_id: 41 });
      const photo = form.get('photo') as File;
      expect(photo.name).toBe('label.jpg');
      expect(Buffer.from(await photo.arrayBuffer())).toEqual(jpeg);
    });

    it('sendDocument for other files', async () => {
      server.on('POST', `${base}/sendDocument`, { json: tgSentMessage(53) });
      await adapter.send(http, { messageId: 'our-3', to: chatId, attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF') }] });
      const form = await FakeProviderServer.formData(server.requests[0]);
      expect(server.requests[0].path).toBe(`${base}/sendDocument`);
      expect(form.get('caption')).toBeNull();
      expect((form.get('document') as File).name).toBe('invoice.pdf');
    });

    it('429 with retry_after → retryable with retryAfterSeconds', async () => {
      server.on('POST', `${base}/sendMessage`, {
        status: 429,
        json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } },
      });
      const error = (await adapter.send(http, text).catch((e: unknown) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.classification).toEqual({ retryable: true, code: '429', message: 'Too Many Requests: retry after 2', retryAfterSeconds: 2 });
    });

    it.each([
      [403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, false, '403'],
      [400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' }, false, '400'],
      [500, { ok: false, error_code: 500, description: 'Internal Server Error' }, true, '500'],
      [502, '<html>Bad Gateway</html>', true, '502'],
    ])('HTTP %i %j → retryable %s code %s', async (status, body, retryable, code) => {
      server.on('POST', `${base}/sendMessage`, typeof body === 'string' ? { status, body } : { status, json: body });
      const error = (await adapter.send(http, text).catch((e: unknown) => e)) as ProviderError;
      expect(error.classification).toMatchObject({ retryable, code });
      expect(error.message).not.toContain(F.botToken);
    });

    it('unknown token (404) is permanent and does not leak the token', async () => {
      const error = (await adapter.send({ ...http, botToken: '1:wrong-token' }, text).catch((e: unknown) => e)) as ProviderError;
      expect(error.classification.retryable).toBe(false);
      expect(error.message).not.toContain('wrong-token');
    });

    it('network errors are retryable and never contain the token', async () => {
      const error = (await adapter.send({ ...http, apiUrl: await FakeProviderServer.unreachableUrl() }, text).catch((e: unknown) => e)) as ProviderError;
      expect(error.classification).toMatchObject({ retryable: true, code: 'network_error' });
      expect(error.message).not.toContain(F.botToken);
    });

    it('downloadMedia: getFile then the file URL', async () => {
      server.on('GET', `${base}/getFile?file_id=AgACAgIAAxkBAAIBlarge`, {
        json: { ok: true, result: { file_id: 'AgACAgIAAxkBAAIBlarge', file_unique_id: 'AQADl1', file_size: 10, file_path: 'photos/file_12.jpg' } },
      });
      server.on('GET', `/file${base}/photos/file_12.jpg`, { body: Buffer.from('jpeg-bytes'), headers: { 'content-type': 'image/jpeg' } });
      const media = await adapter.downloadMedia(http, { providerFileId: 'AgACAgIAAxkBAAIBlarge', contentType: 'image/jpeg' });
      expect(media).toEqual({ data: Buffer.from('jpeg-bytes'), contentType: 'image/jpeg', filename: 'file_12.jpg' });
      expect(server.requests.map((r) => r.path)).toEqual([`${base}/getFile?file_id=AgACAgIAAxkBAAIBlarge`, `/file${base}/photos/file_12.jpg`]);
    });

    it('downloadMedia: a too-big file (no file_path) is permanent', async () => {
      server.on('GET', `${base}/getFile?file_id=big`, { json: { ok: true, result: { file_id: 'big', file_unique_id: 'b' } } });
      await expect(adapter.downloadMedia(http, { providerFileId: 'big' })).rejects.toMatchObject({ classification: { retryable: false, code: 'media_unavailable' } });
    });

    it('listTemplates returns []', async () => {
      await expect(adapter.listTemplates(http)).resolves.toEqual([]);
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('classifyError', () => {
    it('uses error_code of an ok:false answer that came with HTTP 200', () => {
      expect(adapter.classifyError(200, { ok: false, error_code: 429, description: 'slow down', parameters: { retry_after: 5 } })).toEqual({
        retryable: true,
        code: '429',
        message: 'slow down',
        retryAfterSeconds: 5,
      });
    });

    it('falls back to the HTTP status without a body', () => {
      expect(adapter.classifyError(503, undefined)).toMatchObject({ retryable: true, code: '503' });
      expect(adapter.classifyError(409, undefined)).toMatchObject({ retryable: false, code: '409' });
    });
  });
});
