import { createHash } from 'node:crypto';
import { FakeProviderServer } from '../testing/fake-provider-server';
import { ProviderError, type ChannelCredentials, type OutboundPayload } from '../normalized';
import { WhatsAppAdapter } from './whatsapp.adapter';
import {
  WHATSAPP_FIXTURE as F,
  WHATSAPP_SIGNATURE_VECTORS as V,
  waAudio,
  waButton,
  waButtonReply,
  waContact,
  waContacts,
  waDocument,
  waFailedStatus,
  waImage,
  waInbound,
  waListReply,
  waLocation,
  waNotification,
  waReaction,
  waStatus,
  waStatusNotification,
  waText,
  waUnsupported,
  waValue,
  whatsappSignature,
  whatsappWebhookRequest,
} from './fixtures';

const adapter = new WhatsAppAdapter();
const creds: ChannelCredentials = {
  channelId: 'ch_wa',
  apiUrl: 'http://unused.invalid',
  appSecret: F.appSecret,
  accessToken: F.accessToken,
  phoneNumberId: F.phoneNumberId,
  businessAccountId: F.wabaId,
};
const sentAt = new Date('2025-03-04T09:20:00Z');
const customer = { kind: 'whatsapp', value: F.customerWaId, displayName: F.customerName, phone: F.customerWaId };

const parseOne = (message: Record<string, unknown>) => {
  const parsed = adapter.parse(waInbound(message), 'default');
  expect(parsed.ignoredReason).toBeUndefined();
  expect(parsed.messages).toHaveLength(1);
  return parsed.messages[0];
};

describe('WhatsAppAdapter', () => {
  it('is the whatsapp adapter', () => {
    expect(adapter.type).toBe('whatsapp');
  });

  describe('verify (X-Hub-Signature-256)', () => {
    const payload = waInbound(waText());

    it('accepts a correct signature', () => {
      expect(adapter.verify(whatsappWebhookRequest(payload), creds)).toBe(true);
    });

    it('rejects a signature made with the wrong secret', () => {
      const req = whatsappWebhookRequest(payload);
      req.headers['x-hub-signature-256'] = whatsappSignature(req.rawBody, 'another-secret');
      expect(adapter.verify(req, creds)).toBe(false);
    });

    it('rejects a missing header, a missing prefix and a missing app secret', () => {
      const req = whatsappWebhookRequest(payload);
      const signature = req.headers['x-hub-signature-256']!;
      expect(adapter.verify({ ...req, headers: {} }, creds)).toBe(false);
      expect(adapter.verify({ ...req, headers: { 'x-hub-signature-256': signature.slice('sha256='.length) } }, creds)).toBe(false);
      expect(adapter.verify({ ...req, headers: { 'x-hub-signature-256': 'sha256=' } }, creds)).toBe(false);
      expect(adapter.verify(req, { ...creds, appSecret: undefined })).toBe(false);
    });

    it('rejects a tampered body', () => {
      const req = whatsappWebhookRequest(payload);
      req.rawBody = Buffer.from(req.rawBody.toString().replace('shipped', 'SHIPPED'));
      expect(adapter.verify(req, creds)).toBe(false);
    });

    it('accepts hex digits in upper case (the MAC is the same)', () => {
      const req = whatsappWebhookRequest(payload);
      req.headers['x-hub-signature-256'] = `sha256=${req.headers['x-hub-signature-256']!.slice(7).toUpperCase()}`;
      expect(adapter.verify(req, creds)).toBe(true);
    });

    describe('test vectors over exact raw bytes with non-ASCII text', () => {
      const request = (raw: string, signature: string) => ({
        kind: 'default' as const,
        rawBody: Buffer.from(raw, 'utf8'),
        headers: { 'x-hub-signature-256': signature },
      });
      const vectorCreds = { ...creds, appSecret: V.appSecret };

      it('verifies the \\u-escaped bytes Meta signs', () => {
        expect(V.escaped.raw).toContain(String.raw`\u00e4\u00f6\u00e5`);
        expect(adapter.verify(request(V.escaped.raw, V.escaped.signature), vectorCreds)).toBe(true);
      });

      it('verifies the literal UTF-8 variant with its own signature', () => {
        expect(Buffer.from(V.literal.raw, 'utf8').includes(Buffer.from([0xc3, 0xa4, 0xc3, 0xb6, 0xc3, 0xa5]))).toBe(true);
        expect(adapter.verify(request(V.literal.raw, V.literal.signature), vectorCreds)).toBe(true);
      });

      it('signs raw bytes, not re-serialized JSON: the same data in other bytes fails', () => {
        const reserialized = JSON.stringify(JSON.parse(V.escaped.raw));
        expect(reserialized).toBe(V.literal.raw); // same JSON value, different bytes
        expect(adapter.verify(request(reserialized, V.escaped.signature), vectorCreds)).toBe(false);
        expect(adapter.verify(request(V.escaped.raw, V.literal.signature), vectorCreds)).toBe(false);
      });

      it('parses the escaped payload to the decoded text', () => {
        const [m] = adapter.parse(JSON.parse(V.escaped.raw), 'default').messages;
        expect(m.text).toBe('äöå');
        expect(m.from).toEqual({ kind: 'whatsapp', value: '358401234567', displayName: 'Järvi', phone: '358401234567' });
      });
    });
  });

  describe('parse inbound messages', () => {
    it('text', () => {
      const message = waText();
      expect(parseOne(message)).toEqual({
        providerMessageId: 'wamid.TEXT01',
        sentAt,
        from: customer,
        type: 'text',
        text: 'Hi, is my order #1042 shipped?',
        raw: message,
      });
    });

    it('image with caption', () => {
      const m = parseOne(waImage());
      expect(m).toMatchObject({ providerMessageId: 'wamid.IMAGE01', type: 'image', text: 'Damaged box', sentAt, from: customer });
      expect(m.media).toEqual([
        { providerFileId: '1003383421387256', contentType: 'image/jpeg', sha256: '3b4f1c2a9e8d7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a' },
      ]);
    });

    it('document with filename', () => {
      const m = parseOne(waDocument());
      expect(m).toMatchObject({ providerMessageId: 'wamid.DOC01', type: 'document', text: 'Receipt' });
      expect(m.media).toEqual([
        {
          providerFileId: '1234567890123456',
          contentType: 'application/pdf',
          sha256: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2',
          filename: 'receipt-1042.pdf',
        },
      ]);
    });

    it('audio (voice note, no caption)', () => {
      const m = parseOne(waAudio());
      expect(m.type).toBe('audio');
      expect(m.text).toBeUndefined();
      expect(m.media).toEqual([
        { providerFileId: '2345678901234567', contentType: 'audio/ogg; codecs=opus', sha256: 'f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f' },
      ]);
    });

    it('location', () => {
      const m = parseOne(waLocation());
      expect(m.type).toBe('location');
      expect(m.location).toEqual({ latitude: 52.520008, longitude: 13.404954, name: 'Alexanderplatz', address: '10178 Berlin' });
    });

    it('contacts → contact', () => {
      const m = parseOne(waContacts());
      expect(m.type).toBe('contact');
      expect(m.contacts).toEqual([{ name: 'Anna Schmidt', phone: '+49 151 98765432', waId: '4915198765432' }]);
    });

    it('interactive button_reply → interactive_reply replying to our message', () => {
      const m = parseOne(waButtonReply());
      expect(m).toMatchObject({
        type: 'interactive_reply',
        text: 'Yes, deliver',
        interactive: { id: 'confirm_delivery', title: 'Yes, deliver' },
        replyToProviderMessageId: F.outboundWamid,
      });
    });

    it('interactive list_reply → interactive_reply', () => {
      const m = parseOne(waListReply());
      expect(m).toMatchObject({ type: 'interactive_reply', text: 'Morning', interactive: { id: 'slot_am', title: 'Morning' } });
    });

    it('template quick-reply button → interactive_reply with payload', () => {
      const m = parseOne(waButton());
      expect(m).toMatchObject({
        type: 'interactive_reply',
        text: 'Stop promotions',
        interactive: { payload: 'STOP_PROMOTIONS', title: 'Stop promotions' },
        replyToProviderMessageId: F.outboundWamid,
      });
    });

    it('reaction → reactions[], not a message', () => {
      const parsed = adapter.parse(waInbound(waReaction()), 'default');
      expect(parsed.messages).toEqual([]);
      expect(parsed.reactions).toEqual([
        { providerMessageId: 'wamid.REACTION01', targetProviderMessageId: F.outboundWamid, emoji: '👍', from: customer, at: sentAt },
      ]);
    });

    it('reaction removal keeps the empty emoji', () => {
      const [reaction] = adapter.parse(waInbound(waReaction('')), 'default').reactions;
      expect(reaction.emoji).toBe('');
    });

    it('unsupported, order, system and unknown types → unsupported with raw', () => {
      for (const message of [
        waUnsupported(),
        { ...waText(), type: 'order', text: undefined, order: { catalog_id: '1', product_items: [] } },
        { ...waText(), type: 'system', text: undefined, system: { body: 'User changed number' } },
        { ...waText(), type: 'hologram', text: undefined },
        { ...waText(), type: 'interactive', text: undefined, interactive: { type: 'nfm_reply', nfm_reply: {} } },
      ]) {
        const m = parseOne(message);
        expect(m.type).toBe('unsupported');
        expect(m.raw).toBe(message);
        expect(m.providerMessageId).toBe(message.id);
      }
    });

    it('sender without a matching contact has no display name; a non-numeric wa_id is no phone', () => {
      const m = parseOne({ ...waText(), from: 'bsuid.AbC123' });
      expect(m.from).toEqual({ kind: 'whatsapp', value: 'bsuid.AbC123' });
    });
  });

  describe('parse statuses', () => {
    it.each(['sent', 'delivered', 'read'] as const)('%s', (status) => {
      const parsed = adapter.parse(waStatusNotification(waStatus(status)), 'default');
      expect(parsed.statuses).toEqual([
        { providerMessageId: F.outboundWamid, status, at: sentAt, recipient: F.customerWaId, ourMessageId: F.ourMessageId },
      ]);
      expect(parsed.messages).toEqual([]);
    });

    it('failed carries the first error', () => {
      const [status] = adapter.parse(waStatusNotification(waFailedStatus()), 'default').statuses;
      expect(status).toEqual({
        providerMessageId: F.outboundWamid,
        status: 'failed',
        at: sentAt,
        recipient: F.customerWaId,
        error: { code: '131047', message: 'Re-engagement message' },
        ourMessageId: F.ourMessageId,
      });
    });

    it('skips unknown status values such as played and deleted', () => {
      const parsed = adapter.parse(waStatusNotification(waStatus('played'), waStatus('deleted'), waStatus('read')), 'default');
      expect(parsed.statuses.map((s) => s.status)).toEqual(['read']);
      expect(adapter.parse(waStatusNotification(waStatus('played')), 'default').ignoredReason).toBeDefined();
    });
  });

  describe('multi-entry batch', () => {
    const other = waContact('447700900123', 'Priya Patel');
    const batch = waNotification([
      [
        waValue({ contacts: [waContact(), other], messages: [waText('first'), { ...waImage(), from: '447700900123' }] }),
        waValue({ statuses: [waStatus('delivered'), waStatus('read')] }),
      ],
      [waValue({ contacts: [waContact()], messages: [waReaction('❤️')] }), waValue({ statuses: [waFailedStatus()] })],
    ]);

    it('produces every message, reaction and status across entries × changes', () => {
      const parsed = adapter.parse(batch, 'default');
      expect(parsed.messages.map((m) => [m.providerMessageId, m.from.displayName])).toEqual([
        ['wamid.TEXT01', F.customerName],
        ['wamid.IMAGE01', 'Priya Patel'],
      ]);
      expect(parsed.reactions.map((r) => r.emoji)).toEqual(['❤️']);
      expect(parsed.statuses.map((s) => s.status)).toEqual(['delivered', 'read', 'failed']);
    });

    it('has one dedupe key per message and per (id, status)', () => {
      expect(adapter.dedupeKeys(batch, 'default')).toEqual([
        'wa:msg:wamid.TEXT01',
        'wa:msg:wamid.IMAGE01',
        `wa:st:${F.outboundWamid}:delivered`,
        `wa:st:${F.outboundWamid}:read`,
        'wa:msg:wamid.REACTION01',
        `wa:st:${F.outboundWamid}:failed:131047`,
      ]);
    });

    it('ignores changes of other fields', () => {
      const payload = {
        object: 'whatsapp_business_account',
        entry: [{ id: F.wabaId, changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }],
      };
      expect(adapter.parse(payload, 'default').ignoredReason).toBeDefined();
      expect(adapter.dedupeKeys(payload, 'default')).toEqual([]);
    });
  });

  describe('dedupeKeys', () => {
    it('per message type', () => {
      expect(adapter.dedupeKeys(waInbound(waText()), 'default')).toEqual(['wa:msg:wamid.TEXT01']);
      expect(adapter.dedupeKeys(waInbound(waReaction()), 'default')).toEqual(['wa:msg:wamid.REACTION01']);
      expect(adapter.dedupeKeys(waStatusNotification(waStatus('sent')), 'default')).toEqual([`wa:st:${F.outboundWamid}:sent`]);
    });

    it('adds errors[].code to a failed status, so another failure reason is a new event', () => {
      expect(adapter.dedupeKeys(waStatusNotification(waFailedStatus()), 'default')).toEqual([`wa:st:${F.outboundWamid}:failed:131047`]);
      const twoErrors = waStatus('failed', { errors: [{ code: 131026 }, { code: 131047 }] });
      expect(adapter.dedupeKeys(waStatusNotification(twoErrors), 'default')).toEqual([`wa:st:${F.outboundWamid}:failed:131026,131047`]);
      expect(adapter.dedupeKeys(waStatusNotification(waStatus('failed')), 'default')).toEqual([`wa:st:${F.outboundWamid}:failed`]);
    });

    it('collapses duplicates inside one payload', () => {
      expect(adapter.dedupeKeys(waNotification([[waValue({ messages: [waText(), waText()] })]]), 'default')).toEqual(['wa:msg:wamid.TEXT01']);
    });

    it('returns [] for unknown shapes', () => {
      expect(adapter.dedupeKeys({ foo: 1 }, 'default')).toEqual([]);
      expect(adapter.dedupeKeys(null, 'default')).toEqual([]);
      expect(adapter.dedupeKeys({ entry: 'x' }, 'default')).toEqual([]);
    });
  });

  it('parse never throws on garbage', () => {
    for (const garbage of [null, 42, 'x', [], { object: 'page', entry: [] }, { object: 'whatsapp_business_account', entry: [null, { changes: 7 }] }]) {
      expect(adapter.parse(garbage, 'default').ignoredReason).toBeDefined();
    }
  });

  describe('HTTP calls against a fake Graph API', () => {
    let server: FakeProviderServer;
    let http: ChannelCredentials;
    const messagesPath = `/${F.phoneNumberId}/messages`;
    const accepted = (id = F.outboundWamid) => ({
      json: { messaging_product: 'whatsapp', contacts: [{ input: '+4915112345678', wa_id: F.customerWaId }], messages: [{ id }] },
    });

    beforeAll(async () => {
      server = await FakeProviderServer.start();
    });
    afterAll(() => server.close());
    beforeEach(() => {
      server.reset();
      http = { ...creds, apiUrl: server.url };
    });

    const text: OutboundPayload = { messageId: F.ourMessageId, to: '+4915112345678', text: 'Your order shipped today.' };

    it('sends a text message with the exact path, headers and body', async () => {
      server.on('POST', messagesPath, accepted());
      const result = await adapter.send(http, { ...text, replyToProviderMessageId: 'wamid.TEXT01' });
      expect(result.providerMessageId).toBe(F.outboundWamid);
      const [req] = server.requests;
      expect(req.path).toBe(messagesPath);
      expect(req.headers.authorization).toBe(`Bearer ${F.accessToken}`);
      expect(req.headers['content-type']).toBe('application/json');
      expect(FakeProviderServer.json(req)).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+4915112345678',
        type: 'text',
        text: { preview_url: false, body: 'Your order shipped today.' },
        context: { message_id: 'wamid.TEXT01' },
        biz_opaque_callback_data: F.ourMessageId,
      });
    });

    it('sends a template with header, body and one component per button', async () => {
      server.on('POST', messagesPath, accepted());
      await adapter.send(http, {
        messageId: F.ourMessageId,
        to: '+4915112345678',
        template: {
          name: 'order_update',
          language: 'de',
          parameters: { header: ['#1042'], body: ['Jonas', 'Tuesday'], buttons: ['CONFIRM', 'RESCHEDULE'] },
        },
      });
      expect(FakeProviderServer.json(server.requests[0])).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+4915112345678',
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'de' },
          components: [
            { type: 'header', parameters: [{ type: 'text', text: '#1042' }] },
            { type: 'body', parameters: [{ type: 'text', text: 'Jonas' }, { type: 'text', text: 'Tuesday' }] },
            { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'CONFIRM' }] },
            { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'RESCHEDULE' }] },
          ],
        },
        biz_opaque_callback_data: F.ourMessageId,
      });
    });

    it("sends each button parameter with its button's own index and sub_type from the template", async () => {
      server.on('POST', messagesPath, accepted());
      const components = [
        { type: 'BODY', text: 'Your order {{1}} ships today.' },
        {
          type: 'BUTTONS',
          buttons: [
            { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+4930123456' },
            { type: 'QUICK_REPLY', text: 'Reschedule' },
            { type: 'URL', text: 'Help', url: 'https://shop.example/help' },
            { type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' },
          ],
        },
      ];
      await adapter.send(http, {
        messageId: 'm',
        to: '+4915112345678',
        template: { name: 'order_shipped', language: 'en', components, parameters: { body: ['#1042'], buttons: ['RESCHEDULE', '1042?ref=wa'] } },
      });
      expect((FakeProviderServer.json(server.requests[0]) as { template: { components: unknown[] } }).template.components).toEqual([
        { type: 'body', parameters: [{ type: 'text', text: '#1042' }] },
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'RESCHEDULE' }] },
        { type: 'button', sub_type: 'url', index: '3', parameters: [{ type: 'text', text: '1042?ref=wa' }] },
      ]);
    });

    it.each([
      ['IMAGE', 'https://cdn.example/label.png', { type: 'image', image: { link: 'https://cdn.example/label.png' } }],
      ['VIDEO', 'https://cdn.example/unboxing.mp4', { type: 'video', video: { link: 'https://cdn.example/unboxing.mp4' } }],
      [
        'DOCUMENT',
        'https://cdn.example/invoices/Invoice%201042.pdf?sig=abc',
        { type: 'document', document: { link: 'https://cdn.example/invoices/Invoice%201042.pdf?sig=abc', filename: 'Invoice 1042.pdf' } },
      ],
    ])('sends the %s header by link, not as text', async (format, link, parameter) => {
      server.on('POST', messagesPath, accepted());
      const components = [{ type: 'HEADER', format }, { type: 'BODY', text: 'Here it is.' }];
      await adapter.send(http, { messageId: 'm', to: '+4915112345678', template: { name: 'media_header', language: 'en', components, parameters: { header: [link] } } });
      expect((FakeProviderServer.json(server.requests[0]) as { template: { components: unknown[] } }).template.components).toEqual([
        { type: 'header', parameters: [parameter] },
      ]);
    });

    it('omits empty template components', async () => {
      server.on('POST', messagesPath, accepted());
      await adapter.send(http, { messageId: 'm', to: '+4915112345678', template: { name: 'hello_world', language: 'en_US', parameters: { body: [] } } });
      expect((FakeProviderServer.json(server.requests[0]) as { template: unknown }).template).toEqual({
        name: 'hello_world',
        language: { code: 'en_US' },
      });
    });

    it('uploads an image first, then sends it by id with the caption', async () => {
      server.on('POST', `/${F.phoneNumberId}/media`, { json: { id: '4490709327384033' } });
      server.on('POST', messagesPath, accepted());
      const png = Buffer.from('\x89PNG picture bytes', 'latin1');
      await adapter.send(http, { ...text, attachments: [{ filename: 'label.png', contentType: 'image/png', data: png }] });

      const [upload, send] = server.requests;
      expect(upload.path).toBe(`/${F.phoneNumberId}/media`);
      expect(upload.headers.authorization).toBe(`Bearer ${F.accessToken}`);
      expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      const form = await FakeProviderServer.formData(upload);
      expect(form.get('messaging_product')).toBe('whatsapp');
      expect(form.get('type')).toBe('image/png');
      const file = form.get('file') as File;
      expect(file.name).toBe('label.png');
      expect(file.type).toBe('image/png');
      expect(Buffer.from(await file.arrayBuffer())).toEqual(png);

      expect(FakeProviderServer.json(send)).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '+4915112345678',
        type: 'image',
        image: { id: '4490709327384033', caption: 'Your order shipped today.' },
        biz_opaque_callback_data: F.ourMessageId,
      });
    });

    it('sends a PDF as a document with filename, and audio without caption', async () => {
      server.on('POST', `/${F.phoneNumberId}/media`, { json: { id: 'media-doc' } }, { json: { id: 'media-audio' } });
      server.on('POST', messagesPath, accepted());
      await adapter.send(http, { ...text, attachments: [{ filename: 'invoice.pdf', contentType: 'application/pdf', data: Buffer.from('%PDF') }] });
      await adapter.send(http, { ...text, attachments: [{ filename: 'note.ogg', contentType: 'audio/ogg', data: Buffer.from('OggS') }] });
      const sends = server.requests.filter((r) => r.path === messagesPath).map((r) => FakeProviderServer.json(r));
      expect(sends[0]).toMatchObject({ type: 'document', document: { id: 'media-doc', caption: 'Your order shipped today.', filename: 'invoice.pdf' } });
      expect(sends[1]).toMatchObject({ type: 'audio', audio: { id: 'media-audio' } });
    });

    it('refuses an empty message without calling the API', async () => {
      await expect(adapter.send(http, { messageId: 'm', to: '+1' })).rejects.toMatchObject({ classification: { code: 'invalid_message', retryable: false } });
      expect(server.requests).toHaveLength(0);
    });

    it.each([
      [400, { error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, fbtrace_id: 'A1' } }, false, '131047'],
      [400, { error: { message: '(#131026) Message undeliverable', code: 131026 } }, false, '131026'],
      [400, { error: { message: '(#130429) Rate limit hit', code: 130429, error_data: { details: 'Cloud API message throughput has been reached.' } } }, true, '130429'],
      [400, { error: { message: '(#131056) Pair rate limit', code: 131056 } }, true, '131056'],
      [401, { error: { message: 'Error validating access token', type: 'OAuthException', code: 190 } }, false, '190'],
      [500, 'upstream connect error', true, '500'],
      [429, undefined, true, '429'],
    ])('send failure HTTP %i %j → retryable %s code %s', async (status, body, retryable, code) => {
      server.on('POST', messagesPath, typeof body === 'string' || body === undefined ? { status, body: body ?? '' } : { status, json: body });
      const error = (await adapter.send(http, text).catch((e: unknown) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.httpStatus).toBe(status);
      expect(error.classification).toMatchObject({ retryable, code });
    });

    describe('downloadMedia', () => {
      const bytes = Buffer.from('jpeg bytes of a damaged box');
      const hex = createHash('sha256').update(bytes).digest('hex');
      const lookup = (sha256 = hex) => ({
        json: { messaging_product: 'whatsapp', url: `${server.url}/lookaside/media?mid=1003383421387256&ext=1`, mime_type: 'image/jpeg', sha256, file_size: bytes.length, id: '1003383421387256' },
      });

      it('looks up the URL, downloads with the same bearer and checks sha256', async () => {
        server.on('GET', '/1003383421387256', lookup());
        server.on('GET', '/lookaside/media?mid=1003383421387256&ext=1', { body: bytes, headers: { 'content-type': 'image/jpeg' } });
        const media = await adapter.downloadMedia(http, { providerFileId: '1003383421387256', filename: 'box.jpg' });
        expect(media).toEqual({ data: bytes, contentType: 'image/jpeg', filename: 'box.jpg' });
        expect(server.requests.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([
          ['GET', '/1003383421387256', `Bearer ${F.accessToken}`],
          ['GET', '/lookaside/media?mid=1003383421387256&ext=1', `Bearer ${F.accessToken}`],
        ]);
      });

      it('a checksum mismatch is a retryable checksum_mismatch', async () => {
        server.on('GET', '/1003383421387256', lookup('0'.repeat(64)));
        server.on('GET', '/lookaside/media?mid=1003383421387256&ext=1', { body: bytes });
        await expect(adapter.downloadMedia(http, { providerFileId: '1003383421387256' })).rejects.toMatchObject({
          classification: { retryable: true, code: 'checksum_mismatch' },
        });
      });

      it('an expired URL (404) triggers one fresh lookup', async () => {
        server.on('GET', '/1003383421387256', lookup());
        server.on('GET', '/lookaside/media?mid=1003383421387256&ext=1', { status: 404, body: 'Not Found' }, { body: bytes });
        const media = await adapter.downloadMedia(http, { providerFileId: '1003383421387256' });
        expect(media.data).toEqual(bytes);
        expect(server.requests.map((r) => r.path)).toEqual([
          '/1003383421387256',
          '/lookaside/media?mid=1003383421387256&ext=1',
          '/1003383421387256',
          '/lookaside/media?mid=1003383421387256&ext=1',
        ]);
      });

      it('gives up after the second 404', async () => {
        server.on('GET', '/1003383421387256', lookup());
        server.on('GET', '/lookaside/media?mid=1003383421387256&ext=1', { status: 404, body: 'Not Found' });
        const error = (await adapter.downloadMedia(http, { providerFileId: '1003383421387256' }).catch((e: unknown) => e)) as ProviderError;
        expect(error.httpStatus).toBe(404);
        expect(error.classification.retryable).toBe(false);
        expect(server.requests).toHaveLength(4);
      });

      it('a lookup error is classified and never leaks the token', async () => {
        server.on('GET', '/1003383421387256', { status: 400, json: { error: { message: `Invalid OAuth access token - ${F.accessToken}`, code: 190 } } });
        const error = (await adapter.downloadMedia(http, { providerFileId: '1003383421387256' }).catch((e: unknown) => e)) as ProviderError;
        expect(error.classification).toMatchObject({ retryable: false, code: '190' });
        expect(error.message).not.toContain(F.accessToken);
      });
    });

    it('listTemplates follows paging.next and maps the fields', async () => {
      const components = [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.' }];
      server.on('GET', `/${F.wabaId}/message_templates?limit=100`, {
        json: {
          data: [{ name: 'order_update', language: 'de', category: 'UTILITY', status: 'APPROVED', components, id: '1' }],
          paging: { cursors: { before: 'B', after: 'QVFI' }, next: `${server.url}/${F.wabaId}/message_templates?limit=100&after=QVFI` },
        },
      });
      server.on('GET', `/${F.wabaId}/message_templates?limit=100&after=QVFI`, {
        json: { data: [{ name: 'spring_sale', language: 'en_US', category: 'MARKETING', status: 'PENDING', components: [], id: '2' }], paging: { cursors: {} } },
      });
      await expect(adapter.listTemplates(http)).resolves.toEqual([
        { name: 'order_update', language: 'de', category: 'UTILITY', status: 'APPROVED', components },
        { name: 'spring_sale', language: 'en_US', category: 'MARKETING', status: 'PENDING', components: [] },
      ]);
      expect(server.requests.every((r) => r.headers.authorization === `Bearer ${F.accessToken}`)).toBe(true);
    });
  });
});
