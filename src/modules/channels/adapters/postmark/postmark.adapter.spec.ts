import { FakeProviderServer } from '../testing/fake-provider-server';
import { ProviderError, type ChannelCredentials, type OutboundPayload } from '../normalized';
import { PostmarkAdapter } from './postmark.adapter';
import {
  POSTMARK_FIXTURE as F,
  postmarkBasicAuthHeader,
  postmarkClick,
  postmarkDelivery,
  postmarkHardBounce,
  postmarkInbound,
  postmarkOpen,
  postmarkSpamComplaint,
  postmarkSubscriptionChange,
  postmarkWebhookRequest,
} from './fixtures';

const adapter = new PostmarkAdapter();
const creds: ChannelCredentials = {
  channelId: 'ch_email',
  apiUrl: 'http://unused.invalid',
  basicUser: F.basicUser,
  basicPassword: F.basicPassword,
  serverToken: F.serverToken,
  fromAddress: F.fromAddress,
};

describe('PostmarkAdapter', () => {
  it('is the email adapter', () => {
    expect(adapter.type).toBe('email');
  });

  describe('verify (HTTP Basic auth)', () => {
    const payload = postmarkInbound();

    it('accepts the configured user and password, whatever the scheme casing', () => {
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound'), creds)).toBe(true);
      const lower = postmarkBasicAuthHeader().replace('Basic', 'basic');
      expect(adapter.verify(postmarkWebhookRequest(payload, 'events', { authorization: lower }), creds)).toBe(true);
    });

    it('rejects a wrong password, a wrong user and a missing header', () => {
      const wrongPassword = postmarkBasicAuthHeader(F.basicUser, 'nope');
      const wrongUser = postmarkBasicAuthHeader('someone', F.basicPassword);
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound', { authorization: wrongPassword }), creds)).toBe(false);
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound', { authorization: wrongUser }), creds)).toBe(false);
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound', { authorization: undefined }), creds)).toBe(false);
    });

    it('rejects other schemes, garbage and unconfigured credentials', () => {
      const bearer = { authorization: `Bearer ${F.basicPassword}` };
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound', bearer), creds)).toBe(false);
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound', { authorization: 'Basic !!!' }), creds)).toBe(false);
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound'), { ...creds, basicPassword: undefined })).toBe(false);
      const empty = postmarkBasicAuthHeader('', '');
      expect(adapter.verify(postmarkWebhookRequest(payload, 'inbound', { authorization: empty }), { ...creds, basicUser: '', basicPassword: '' })).toBe(false);
    });

    it('is about credentials, not the body: a tampered body with good auth still verifies (Postmark signs nothing)', () => {
      const request = postmarkWebhookRequest(payload, 'inbound');
      request.rawBody = Buffer.from('{"tampered":true}');
      expect(adapter.verify(request, creds)).toBe(true);
    });
  });

  describe('dedupeKeys', () => {
    it('uses MessageID for inbound mail', () => {
      expect(adapter.dedupeKeys(postmarkInbound(), 'inbound')).toEqual([`pm:in:${F.inboundMessageId}`]);
    });

    it('builds the natural key of every event type', () => {
      expect(adapter.dedupeKeys(postmarkDelivery(), 'events')).toEqual([`pm:Delivery:${F.outboundMessageId}:${F.customerEmail}`]);
      expect(adapter.dedupeKeys(postmarkHardBounce(), 'events')).toEqual([`pm:Bounce:${F.bounceId}`]);
      expect(adapter.dedupeKeys(postmarkSpamComplaint(), 'events')).toEqual(['pm:SpamComplaint:4323372036854775808']);
      expect(adapter.dedupeKeys(postmarkOpen(), 'events')).toEqual([
        `pm:Open:${F.outboundMessageId}:${F.customerEmail}:2025-03-04T08:30:12Z`,
      ]);
      expect(adapter.dedupeKeys(postmarkClick(), 'events')).toEqual([
        `pm:Click:${F.outboundMessageId}:${F.customerEmail}:2025-03-04T08:30:12Z:https://acme.example/orders/1042`,
      ]);
      expect(adapter.dedupeKeys(postmarkSubscriptionChange(true), 'events')).toEqual([
        `pm:SubscriptionChange:${F.outboundMessageId}:${F.customerEmail}:2025-03-04T10:00:00Z:true`,
      ]);
      expect(adapter.dedupeKeys(postmarkSubscriptionChange(false), 'events')).toEqual([
        `pm:SubscriptionChange:${F.outboundMessageId}:${F.customerEmail}:2025-03-04T10:00:00Z:false`,
      ]);
    });

    it('keeps a 64-bit bounce ID exactly as the caller parsed it (string or bigint)', () => {
      expect(adapter.dedupeKeys(postmarkHardBounce({ ID: 4323372036854775807n }), 'events')).toEqual([`pm:Bounce:${F.bounceId}`]);
      expect(adapter.dedupeKeys(postmarkHardBounce({ ID: 692560173 }), 'events')).toEqual(['pm:Bounce:692560173']);
    });

    it('reads keys case-insensitively (SDK spells MessageId)', () => {
      const { MessageID, ...rest } = postmarkDelivery();
      expect(adapter.dedupeKeys({ ...rest, MessageId: MessageID }, 'events')).toEqual([
        `pm:Delivery:${F.outboundMessageId}:${F.customerEmail}`,
      ]);
    });

    it('routes the default kind by shape', () => {
      expect(adapter.dedupeKeys(postmarkDelivery(), 'default')).toEqual([`pm:Delivery:${F.outboundMessageId}:${F.customerEmail}`]);
      expect(adapter.dedupeKeys(postmarkInbound(), 'default')).toEqual([`pm:in:${F.inboundMessageId}`]);
    });

    it('returns [] for unknown shapes', () => {
      expect(adapter.dedupeKeys({ RecordType: 'Inbound-ish' }, 'events')).toEqual([]);
      expect(adapter.dedupeKeys({ RecordType: 'Bounce' }, 'events')).toEqual([]);
      expect(adapter.dedupeKeys({ hello: 'world' }, 'inbound')).toEqual([]);
      expect(adapter.dedupeKeys('nope', 'inbound')).toEqual([]);
      expect(adapter.dedupeKeys(null, 'events')).toEqual([]);
    });
  });

  describe('parse inbound', () => {
    it('maps an inbound reply with attachments field by field', () => {
      const payload = postmarkInbound();
      const parsed = adapter.parse(payload, 'inbound');
      expect(parsed.ignoredReason).toBeUndefined();
      expect(parsed.statuses).toEqual([]);
      expect(parsed.consents).toEqual([]);
      expect(parsed.messages).toHaveLength(1);
      const [m] = parsed.messages;
      expect(m.providerMessageId).toBe(F.inboundMessageId);
      expect(m.type).toBe('email');
      expect(m.from).toEqual({ kind: 'email', value: 'jane.doe@customer.example', displayName: 'Jane Doe' });
      expect(m.sentAt.toISOString()).toBe('2025-03-04T08:15:27.000Z');
      expect(m.text).toBe('Thanks, the invoice is attached.');
      expect(m.email).toEqual({
        subject: 'Re: Your order #1042',
        textBody: payload.TextBody,
        htmlBody: payload.HtmlBody,
        messageId: 'CAFx8kZ1=Q2@mail.customer.example',
        inReplyTo: `${F.outboundMessageId}@mtasv.net`,
        references: ['root-1@acme.example', `${F.outboundMessageId}@mtasv.net`],
        mailboxHash: 'conv_8f3a2b',
        to: '"Acme Support" <reply+conv_8f3a2b@inbound.acme.example>',
      });
      expect(m.media).toEqual([
        { filename: 'invoice-1042.pdf', contentType: 'application/pdf', size: 21, contentBase64: F.pdfBase64 },
        { filename: 'logo.png', contentType: 'image/png', size: 14, contentBase64: F.pngBase64, contentId: 'logo@acme' },
      ]);
      expect(m.replyToProviderMessageId).toBe(`${F.outboundMessageId}@mtasv.net`);
      expect(m.raw).toBe(payload);
    });

    it('falls back: From without FromFull, TextBody without stripped reply, hash from ToFull, now for a bad Date', () => {
      const before = Date.now();
      const parsed = adapter.parse(
        postmarkInbound({ FromFull: undefined, FromName: '', StrippedTextReply: '', MailboxHash: '', Date: 'yesterday-ish', Headers: [], Attachments: [] }),
        'inbound',
      );
      const [m] = parsed.messages;
      expect(m.from).toEqual({ kind: 'email', value: 'jane.doe@customer.example' });
      expect(m.text).toBe(postmarkInbound().TextBody);
      expect(m.email?.mailboxHash).toBe('conv_8f3a2b');
      expect(m.email?.messageId).toBeUndefined();
      expect(m.email?.references).toBeUndefined();
      expect(m.replyToProviderMessageId).toBeUndefined();
      expect(m.media).toBeUndefined();
      expect(m.sentAt.getTime()).toBeGreaterThanOrEqual(before);
    });

    it('ignores payloads without MessageID or sender, never throwing', () => {
      expect(adapter.parse({ Subject: 'x' }, 'inbound').ignoredReason).toMatch(/MessageID/);
      expect(adapter.parse(postmarkInbound({ From: '', FromFull: {} }), 'inbound').ignoredReason).toMatch(/sender/);
      expect(adapter.parse([], 'inbound').ignoredReason).toBeDefined();
      expect(adapter.parse(postmarkInbound({ Headers: 'garbage', Attachments: 42 }), 'inbound').messages).toHaveLength(1);
    });
  });

  describe('parse events', () => {
    it('Delivery → delivered with our message id from Metadata', () => {
      const parsed = adapter.parse(postmarkDelivery(), 'events');
      expect(parsed.statuses).toEqual([
        {
          providerMessageId: F.outboundMessageId,
          status: 'delivered',
          at: new Date('2025-03-04T08:16:02Z'),
          recipient: F.customerEmail,
          ourMessageId: F.ourMessageId,
        },
      ]);
      expect(parsed.ignoredReason).toBeUndefined();
    });

    it('Delivery without Metadata has no ourMessageId; SDK casing MessageId works', () => {
      const { MessageID, ...rest } = postmarkDelivery({ Metadata: undefined });
      const [status] = adapter.parse({ ...rest, MessageId: MessageID }, 'events').statuses;
      expect(status.providerMessageId).toBe(F.outboundMessageId);
      expect(status.ourMessageId).toBeUndefined();
    });

    it('hard Bounce → failed, undeliverable recipient', () => {
      const parsed = adapter.parse(postmarkHardBounce(), 'events');
      expect(parsed.statuses).toEqual([
        {
          providerMessageId: F.outboundMessageId,
          status: 'failed',
          at: new Date('2025-03-04T08:17:45Z'),
          recipient: F.customerEmail,
          error: { code: '1', message: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).' },
          recipientUndeliverable: true,
          ourMessageId: F.ourMessageId,
        },
      ]);
      expect(parsed.consents).toEqual([]);
    });

    it.each([
      ['SoftBounce', 4096],
      ['Transient', 2],
      ['DnsError', 256],
      ['AutoResponder', 64],
      ['SpamNotification', 512],
      ['Transient', undefined],
    ])('soft bounce %s (%s) is understood but neither fails the message nor touches the address', (Type, TypeCode) => {
      const parsed = adapter.parse(postmarkHardBounce({ Type, TypeCode, Inactive: false }), 'events');
      expect(parsed).toEqual({ messages: [], reactions: [], edits: [], statuses: [], consents: [] });
    });

    it.each([
      ['BadEmailAddress', 100000],
      ['ManuallyDeactivated', 100002],
      [undefined, 1],
    ])('%s (%s) counts as hard: failed, undeliverable recipient', (Type, TypeCode) => {
      const [status] = adapter.parse(postmarkHardBounce({ Type, TypeCode }), 'events').statuses;
      expect(status).toMatchObject({ status: 'failed', recipientUndeliverable: true });
    });

    it('SpamComplaint → failed status plus an opt-out for the address', () => {
      const parsed = adapter.parse(postmarkSpamComplaint(), 'events');
      expect(parsed.statuses).toEqual([
        {
          providerMessageId: F.outboundMessageId,
          status: 'failed',
          at: new Date('2025-03-04T08:17:45Z'),
          recipient: F.customerEmail,
          error: { code: 'spam_complaint', message: 'The subscriber explicitly marked this message as spam.' },
          complaint: true,
          ourMessageId: F.ourMessageId,
        },
      ]);
      expect(parsed.consents).toEqual([
        {
          identifier: { kind: 'email', value: F.customerEmail },
          status: 'opted_out',
          reason: 'spam_complaint',
          at: new Date('2025-03-04T08:17:45Z'),
          evidence: {
            provider: 'postmark',
            recordType: 'SpamComplaint',
            id: '4323372036854775808',
            messageId: F.outboundMessageId,
            description: 'The subscriber explicitly marked this message as spam.',
          },
        },
      ]);
    });

    it('SubscriptionChange with SuppressSending true → opted_out', () => {
      const parsed = adapter.parse(postmarkSubscriptionChange(true), 'events');
      expect(parsed.statuses).toEqual([]);
      expect(parsed.consents).toEqual([
        {
          identifier: { kind: 'email', value: F.customerEmail },
          status: 'opted_out',
          reason: 'ManualSuppression',
          at: new Date('2025-03-04T10:00:00Z'),
          evidence: {
            provider: 'postmark',
            recordType: 'SubscriptionChange',
            origin: 'Recipient',
            suppressionReason: 'ManualSuppression',
            suppressSending: true,
            messageId: F.outboundMessageId,
            messageStream: 'broadcast',
          },
        },
      ]);
    });

    it('SubscriptionChange with SuppressSending false (the business reactivated the address) records no consent', () => {
      const parsed = adapter.parse(postmarkSubscriptionChange(false), 'events');
      expect(parsed).toEqual({ messages: [], reactions: [], edits: [], statuses: [], consents: [] });
    });

    it('Open and Click are understood but change nothing (not a reliable read)', () => {
      for (const payload of [postmarkOpen(), postmarkClick()]) {
        const parsed = adapter.parse(payload, 'events');
        expect(parsed).toEqual({ messages: [], reactions: [], edits: [], statuses: [], consents: [] });
      }
    });

    it('unknown RecordType → ignored with a reason', () => {
      expect(adapter.parse({ RecordType: 'ManualSuppressionImport' }, 'events').ignoredReason).toMatch(/unsupported RecordType/);
      expect(adapter.parse({ RecordType: 'Delivery' }, 'events').ignoredReason).toMatch(/MessageID/);
      expect(adapter.parse({ RecordType: 'SubscriptionChange', Recipient: 'a@b.c' }, 'events').ignoredReason).toBeDefined();
    });
  });

  describe('HTTP calls against a fake Postmark API', () => {
    let server: FakeProviderServer;
    let http: ChannelCredentials;

    beforeAll(async () => {
      server = await FakeProviderServer.start();
    });
    afterAll(() => server.close());
    beforeEach(() => {
      server.reset();
      http = { ...creds, apiUrl: server.url };
    });

    const outbound: OutboundPayload = {
      messageId: F.ourMessageId,
      to: F.customerEmail,
      subject: 'Re: Your order #1042',
      text: 'Thanks, received.',
      htmlBody: '<p>Thanks, received.</p>',
      email: {
        inReplyTo: 'CAFx8kZ1=Q2@mail.customer.example',
        references: ['root-1@acme.example', '<CAFx8kZ1=Q2@mail.customer.example>'],
        replyTo: 'reply+conv_8f3a2b@inbound.acme.example',
      },
      attachments: [{ filename: 'receipt.txt', contentType: 'text/plain', data: Buffer.from('paid') }],
    };

    it('send posts the exact request and returns MessageID', async () => {
      server.on('POST', '/email', {
        json: { To: F.customerEmail, SubmittedAt: '2025-03-04T10:00:00Z', MessageID: F.outboundMessageId, ErrorCode: 0, Message: 'OK' },
      });
      const result = await adapter.send(http, outbound);
      expect(result.providerMessageId).toBe(F.outboundMessageId);

      const [req] = server.requests;
      expect(req.method).toBe('POST');
      expect(req.path).toBe('/email');
      expect(req.headers['x-postmark-server-token']).toBe(F.serverToken);
      expect(req.headers['content-type']).toBe('application/json');
      expect(req.headers.accept).toBe('application/json');
      expect(FakeProviderServer.json(req)).toEqual({
        From: F.fromAddress,
        To: F.customerEmail,
        Subject: 'Re: Your order #1042',
        TextBody: 'Thanks, received.',
        HtmlBody: '<p>Thanks, received.</p>',
        ReplyTo: 'reply+conv_8f3a2b@inbound.acme.example',
        Headers: [
          { Name: 'In-Reply-To', Value: '<CAFx8kZ1=Q2@mail.customer.example>' },
          { Name: 'References', Value: '<root-1@acme.example> <CAFx8kZ1=Q2@mail.customer.example>' },
        ],
        MessageStream: 'outbound',
        Metadata: { messageId: F.ourMessageId },
        Attachments: [{ Name: 'receipt.txt', Content: Buffer.from('paid').toString('base64'), ContentType: 'text/plain' }],
      });
    });

    it('send omits optional parts and honours a custom message stream', async () => {
      server.on('POST', '/email', { json: { MessageID: 'm-2', ErrorCode: 0, Message: 'OK' } });
      await adapter.send({ ...http, messageStream: 'transactional' }, { messageId: 'our-2', to: 'a@b.example', subject: 'Hi', text: 'Hello' });
      expect(FakeProviderServer.json(server.requests[0])).toEqual({
        From: F.fromAddress,
        To: 'a@b.example',
        Subject: 'Hi',
        TextBody: 'Hello',
        MessageStream: 'transactional',
        Metadata: { messageId: 'our-2' },
      });
    });

    it('422 inactive recipient → permanent ProviderError code 406', async () => {
      server.on('POST', '/email', {
        status: 422,
        json: { ErrorCode: 406, Message: 'You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: jane.doe@customer.example. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.' },
      });
      const error = await adapter.send(http, outbound).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).httpStatus).toBe(422);
      expect((error as ProviderError).classification).toMatchObject({ retryable: false, code: '406' });
    });

    it('500 and 429 → retryable; 401 → permanent code 10 without leaking the token', async () => {
      server.on('POST', '/email', { status: 500, body: 'Internal Server Error' }, { status: 429, json: { ErrorCode: 429, Message: 'Rate limit exceeded' } }, {
        status: 401,
        json: { ErrorCode: 10, Message: `Request does not contain a valid Server token: ${F.serverToken}` },
      });
      const e500 = (await adapter.send(http, outbound).catch((e: unknown) => e)) as ProviderError;
      expect(e500.classification).toMatchObject({ retryable: true, code: '500' });
      const e429 = (await adapter.send(http, outbound).catch((e: unknown) => e)) as ProviderError;
      expect(e429.classification).toMatchObject({ retryable: true, code: '429', message: 'Rate limit exceeded' });
      const e401 = (await adapter.send(http, outbound).catch((e: unknown) => e)) as ProviderError;
      expect(e401.classification).toMatchObject({ retryable: false, code: '10' });
      expect(e401.message).not.toContain(F.serverToken);
    });

    it('network failure → retryable network_error', async () => {
      const error = (await adapter.send({ ...http, apiUrl: await FakeProviderServer.unreachableUrl() }, outbound).catch((e: unknown) => e)) as ProviderError;
      expect(error).toBeInstanceOf(ProviderError);
      expect(error.classification).toEqual({ retryable: true, code: 'network_error', message: 'provider request failed (ECONNREFUSED)' });
    });

    it('missing server token → permanent missing_credentials, no request made', async () => {
      const error = (await adapter.send({ ...http, serverToken: undefined }, outbound).catch((e: unknown) => e)) as ProviderError;
      expect(error.classification).toMatchObject({ retryable: false, code: 'missing_credentials' });
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('classifyError', () => {
    it.each([
      [422, { ErrorCode: 300, Message: 'Invalid email request' }, false, '300'],
      [422, { ErrorCode: 406, Message: 'Inactive recipient' }, false, '406'],
      [422, { ErrorCode: 10, Message: 'Bad token' }, false, '10'],
      [422, { ErrorCode: 100, Message: 'Maintenance' }, true, '100'],
      [401, { ErrorCode: 10, Message: 'Bad token' }, false, '10'],
      [401, undefined, false, '10'],
      [429, undefined, true, '429'],
      [503, '<html>down</html>', true, '503'],
      [403, '<html>blocked</html>', false, '403'],
    ])('HTTP %i %j → retryable %s code %s', (status, body, retryable, code) => {
      expect(adapter.classifyError(status, body)).toMatchObject({ retryable, code });
    });
  });

  describe('downloadMedia / listTemplates', () => {
    it('decodes inline base64 content', async () => {
      const media = await adapter.downloadMedia(creds, { filename: 'invoice-1042.pdf', contentType: 'application/pdf', contentBase64: F.pdfBase64 });
      expect(media).toEqual({ data: Buffer.from('%PDF-1.4 fake invoice'), contentType: 'application/pdf', filename: 'invoice-1042.pdf' });
    });

    it('fails permanently when there is no inline content', async () => {
      await expect(adapter.downloadMedia(creds, { providerFileId: 'x' })).rejects.toMatchObject({
        classification: { retryable: false, code: 'media_unavailable' },
      });
    });

    it('has no templates', async () => {
      await expect(adapter.listTemplates(creds)).resolves.toEqual([]);
    });
  });
});
