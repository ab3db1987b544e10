import Redis from 'ioredis';
import type { Queue } from 'bull';
import { randomInt, randomUUID } from 'node:crypto';
import { postmarkHardBounce } from '../../src/modules/channels/adapters/postmark/fixtures';
import { waStatus, waStatusNotification } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { connectEmail, connectTelegram, connectWhatsapp, postPostmark, postWhatsapp } from '../utils/channels';
import { allMessages, contactWith, conversationOf, processed, recordDomainEvents, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { OUTBOUND_MAINTENANCE } from '../../src/modules/messaging/messaging.tokens';
import type { OutboundMaintenanceService } from '../../src/modules/messaging/outbound/outbound-maintenance.service';
import { sql } from '../utils/db';
import { sandboxRequests, settledMessage } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

type Json = Record<string, any>;

const newWaId = () => `49151${randomInt(10_000_000, 99_999_999)}`;

jest.setTimeout(30_000);

describe('outbound delivery', () => {
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    // Three provider attempts per cycle: enough for 500, 500, 200 and short enough to run out.
    t = await startApp({ OUTBOUND_RETRY_BASE_MS: '100', OUTBOUND_MAX_ATTEMPTS: '3' });
    owner = await signup(t);
  });
  afterAll(() => t.close());
  afterEach(() => t.http().delete('/sandbox/faults'));

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const send = (conversationId: string, body: Json, headers: Record<string, string> = {}) =>
    t.http().post(ws(`/conversations/${conversationId}/messages`)).set(owner.auth).set(headers).send(body);
  const getMessage = async (id: string): Promise<Json> => (await t.http().get(ws(`/messages/${id}`)).set(owner.auth).expect(200)).body;
  const fault = (body: Json) => t.http().post('/sandbox/faults').send(body).expect(201);

  const settled = (id: string, status: string | string[], timeoutMs?: number) => settledMessage(t, owner, id, status, timeoutMs);

  /** Provider requests carrying our message id (every fake records what it received). */
  async function requestsFor(provider: 'postmark' | 'whatsapp', messageId: string, pathEnd: string): Promise<Json[]> {
    return (await sandboxRequests(t, provider)).filter((r) => r.path.split('?')[0].endsWith(pathEnd) && JSON.stringify(r.body ?? {}).includes(messageId));
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${what}: not within ${timeoutMs} ms`);
  }

  async function whatsappConversation() {
    const wa = await connectWhatsapp(t, owner);
    const from = newWaId();
    await sandboxInbound(t, owner, wa.id, { from, text: 'Where is my order?' });
    const contact = await contactWith(t, owner, from);
    return { wa, from, contact, conversation: await conversationOf(t, owner, contact.id) };
  }

  it('Postmark: threads the reply under the latest inbound email and ends sent', async () => {
    const pm = await connectEmail(t, owner);
    const email = `ana-${randomUUID().slice(0, 8)}@customer.example`;
    await sandboxInbound(t, owner, pm.id, { from: email, text: 'Where is order 1042?', subject: 'Order 1042' });
    const contact = await contactWith(t, owner, email);
    const conversation = await conversationOf(t, owner, contact.id);
    const [inbound] = await allMessages(t, owner, conversation.id);
    const parentId = inbound.email.messageId as string;

    const res = await send(conversation.id, { text: 'It ships tomorrow.' }).expect(202);
    expect(res.body).toMatchObject({ direction: 'outbound', status: 'queued', channelId: pm.id, subject: 'Re: Order 1042', attempts: [] });
    expect(res.body.statusHistory.map((h: Json) => h.status)).toEqual(['queued']);
    const sent = await settled(res.body.id, 'sent');
    expect(sent.providerMessageId).toEqual(expect.any(String));
    expect(sent.attempts).toEqual([{ at: expect.any(String), outcome: 'sent' }]);

    const [request] = await requestsFor('postmark', res.body.id, '/email');
    expect(request.method).toBe('POST');
    expect(request.headers).toMatchObject({ accept: 'application/json', 'content-type': 'application/json' });
    expect(request.headers['x-postmark-server-token']).toMatch(/^pm-/);
    expect(request.body).toEqual({
      From: 'support@acme.example',
      To: email,
      Subject: 'Re: Order 1042',
      TextBody: 'It ships tomorrow.',
      ReplyTo: expect.stringMatching(/^support\+[0-9a-f]{20}@inbound\.acme\.example$/),
      Headers: [
        { Name: 'In-Reply-To', Value: `<${parentId}>` },
        { Name: 'References', Value: `<${parentId}>` },
      ],
      MessageStream: 'outbound',
      Metadata: { messageId: res.body.id },
    });
  });

  it('WhatsApp: text and template payloads as the Cloud API documents them', async () => {
    const { wa, from, conversation } = await whatsappConversation();
    const text = await send(conversation.id, { text: 'Hello from the team' }).expect(202);
    await t.http().post(ws(`/channels/${wa.id}/templates/sync`)).set(owner.auth).expect(200);
    const template = await send(conversation.id, { template: { name: 'order_update', language: 'en_US', parameters: { body: ['Ana', '#1042'] } } }).expect(202);
    expect(template.body).toMatchObject({ type: 'template', template: { name: 'order_update', language: 'en_US' } });
    for (const id of [text.body.id, template.body.id]) expect((await settled(id, 'sent')).providerMessageId).toMatch(/^wamid\./);

    const phoneNumberId = wa.body.config.phoneNumberId;
    const [textRequest] = await requestsFor('whatsapp', text.body.id, `/${phoneNumberId}/messages`);
    expect(textRequest.headers.authorization).toMatch(/^Bearer EAAG-/);
    expect(textRequest.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${from}`,
      type: 'text',
      text: { preview_url: false, body: 'Hello from the team' },
      biz_opaque_callback_data: text.body.id,
    });
    const [templateRequest] = await requestsFor('whatsapp', template.body.id, `/${phoneNumberId}/messages`);
    expect(templateRequest.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: `+${from}`,
      type: 'template',
      template: {
        name: 'order_update',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '#1042' }] }],
      },
      biz_opaque_callback_data: template.body.id,
    });
  });

  it('Telegram: sendMessage quoting the customer message with reply_parameters', async () => {
    const tg = await connectTelegram(t, owner);
    const userId = String(randomInt(100_000_000, 999_999_999));
    await sandboxInbound(t, owner, tg.id, { from: userId, text: 'Hallo!' });
    const contact = await contactWith(t, owner, userId);
    const conversation = await conversationOf(t, owner, contact.id);
    const [inbound] = await allMessages(t, owner, conversation.id);
    const res = await send(conversation.id, { text: 'Guten Tag!', replyToMessageId: inbound.id }).expect(202);
    const sent = await settled(res.body.id, 'sent');
    expect(sent.providerMessageId).toMatch(new RegExp(`^${userId}:\\d+$`));
    const list = await sandboxRequests(t, 'telegram');
    const request = list.filter((r) => r.path.endsWith('/sendMessage') && r.body?.chat_id === userId).at(-1)!;
    expect(request.headers['content-type']).toMatch(/^application\/json/);
    expect(request.body).toEqual({ chat_id: userId, text: 'Guten Tag!', reply_parameters: { message_id: Number(inbound.providerMessageId.split(':')[1]) } });
  });

  it('retries transient provider errors with backoff: 500, 500, then 200 → sent after three attempts', async () => {
    const { conversation } = await whatsappConversation();
    await fault({ provider: 'whatsapp', status: 500, times: 2, match: '/messages' });
    const res = await send(conversation.id, { text: 'Third time lucky' }).expect(202);
    const sent = await settled(res.body.id, 'sent');
    expect(sent.attempts.map((a: Json) => a.outcome)).toEqual(['retry', 'retry', 'sent']);
    // The fake answers a bare 500 with Graph's own "service unavailable" error body.
    expect(sent.attempts[0].errorCode).toBe('131000');
    expect(sent.error).toBeUndefined();
  });

  it('honours Telegram 429 retry_after: the next attempt starts at least 2 s later', async () => {
    const tg = await connectTelegram(t, owner);
    const userId = String(randomInt(100_000_000, 999_999_999));
    await sandboxInbound(t, owner, tg.id, { from: userId, text: 'Hi' });
    const conversation = await conversationOf(t, owner, (await contactWith(t, owner, userId)).id);
    await fault({ provider: 'telegram', status: 429, match: '/sendMessage', body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } } });
    const res = await send(conversation.id, { text: 'Patience' }).expect(202);
    const sent = await settled(res.body.id, 'sent');
    expect(sent.attempts.map((a: Json) => [a.outcome, a.errorCode])).toEqual([['retry', '429'], ['sent', undefined]]);
    expect(Date.parse(sent.attempts[1].at) - Date.parse(sent.attempts[0].at)).toBeGreaterThanOrEqual(2000);
  });

  it('WhatsApp 131047 fails at once with one attempt and closes the window', async () => {
    const { wa, conversation } = await whatsappConversation();
    await fault({
      provider: 'whatsapp',
      status: 400,
      match: '/messages',
      body: { error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed since the recipient last replied.' } } },
    });
    const res = await send(conversation.id, { text: 'Too late?' }).expect(202);
    const failed = await settled(res.body.id, 'failed');
    expect(failed.error).toEqual({ code: '131047', message: expect.stringContaining('Re-engagement'), retryable: false });
    expect(failed.attempts).toEqual([{ at: expect.any(String), outcome: 'failed', errorCode: '131047' }]);
    expect(failed.statusHistory.map((h: Json) => h.status)).toEqual(['queued', 'failed']);
    const view = (await t.http().get(ws(`/conversations/${conversation.id}`)).set(owner.auth).expect(200)).body;
    expect(view.channels.find((c: Json) => c.channelId === wa.id).whatsappWindow.open).toBe(false);
    // Free-form is refused up front from now on.
    expectProblem(await send(conversation.id, { text: 'Again' }), 422, 'whatsapp_window_closed');
    // The closure is audited.
    const audit = await t.http().get(ws('/audit-events?action=whatsapp.window_closed')).set(owner.auth).expect(200);
    expect(audit.body.data.find((e: Json) => e.subjectId === conversation.id)).toMatchObject({ actor: { type: 'provider', id: 'whatsapp' }, changes: { messageId: res.body.id, providerCode: '131047' } });
  });

  it('applies status webhooks in scrambled order (read, sent, delivered): ends read with an ordered history', async () => {
    const { wa, from, conversation } = await whatsappConversation();
    const res = await send(conversation.id, { text: 'Tracking number inside' }).expect(202);
    const sent = await settled(res.body.id, 'sent');
    const base = Math.floor(Date.now() / 1000) + 5;
    for (const [status, offset] of [['read', 3], ['sent', 1], ['delivered', 2]] as const) {
      const payload = waStatusNotification(waStatus(status, { id: sent.providerMessageId, recipient_id: from, biz_opaque_callback_data: res.body.id, timestamp: String(base + offset) }));
      const delivery = await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200);
      await processed(t, owner, wa.id, delivery);
    }
    const read = await getMessage(res.body.id);
    expect(read.status).toBe('read');
    expect(read.statusHistory.map((h: Json) => h.status)).toEqual(['queued', 'sent', 'delivered', 'read']);
    const times = read.statusHistory.map((h: Json) => Date.parse(h.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('retry: 409 for a message that is not failed; a failed one goes back to queued and is sent', async () => {
    const { conversation } = await whatsappConversation();
    const ok = await send(conversation.id, { text: 'Fine' }).expect(202);
    await settled(ok.body.id, 'sent');
    expectProblem(await t.http().post(ws(`/messages/${ok.body.id}/retry`)).set(owner.auth), 409, 'retry_not_allowed');

    await fault({ provider: 'whatsapp', status: 400, match: '/messages', body: { error: { message: '(#131026) Message undeliverable', code: 131026 } } });
    const res = await send(conversation.id, { text: 'Will fail once' }).expect(202);
    await settled(res.body.id, 'failed');
    const retried = await t.http().post(ws(`/messages/${res.body.id}/retry`)).set(owner.auth).expect(202);
    expect(retried.body).toMatchObject({ id: res.body.id, status: 'queued' });
    const sent = await settled(res.body.id, 'sent');
    expect(sent.attempts.map((a: Json) => a.outcome)).toEqual(['failed', 'sent']);
    expect(sent.statusHistory.map((h: Json) => h.status)).toEqual(['queued', 'failed', 'queued', 'sent']);
  });

  it('Idempotency-Key: a replay returns the same message and 10 concurrent identical sends create one', async () => {
    const { conversation } = await whatsappConversation();
    const key = randomUUID();
    const first = await send(conversation.id, { text: 'Only once' }, { 'Idempotency-Key': key }).expect(202);
    const again = await send(conversation.id, { text: 'Only once' }, { 'Idempotency-Key': key }).expect(202);
    expect(again.body.id).toBe(first.body.id);

    const key2 = randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(conversation.id, { text: 'Burst' }, { 'Idempotency-Key': key2 })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(202));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const messages = await allMessages(t, owner, conversation.id);
    expect(messages.filter((m) => m.text === 'Burst')).toHaveLength(1);
    expect(messages.filter((m) => m.text === 'Only once')).toHaveLength(1);
  });

  it('a Postmark hard bounce fails the message and makes the address unreachable for the next send', async () => {
    const pm = await connectEmail(t, owner);
    const email = `bounce-${randomUUID().slice(0, 8)}@customer.example`;
    await sandboxInbound(t, owner, pm.id, { from: email, text: 'Hello', subject: 'Question' });
    const conversation = await conversationOf(t, owner, (await contactWith(t, owner, email)).id);
    const res = await send(conversation.id, { text: 'Answer' }).expect(202);
    const sent = await settled(res.body.id, 'sent');
    const bounce = postmarkHardBounce({ ID: String(randomInt(1, 2 ** 47)), MessageID: sent.providerMessageId, Email: email, Metadata: { messageId: res.body.id }, BouncedAt: new Date().toISOString() });
    await processed(t, owner, pm.id, await postPostmark(t, pm.id, 'events', bounce, pm.authorization).expect(200));
    const failed = await getMessage(res.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ retryable: false });
    const contact = await contactWith(t, owner, email);
    expect((await t.http().get(ws(`/contacts/${contact.id}`)).set(owner.auth).expect(200)).body.identifiers[0].value).toBe(email);
    expectProblem(await send(conversation.id, { text: 'Still there?' }), 422, 'recipient_unreachable');
  });

  it('validates the body: nothing to send, subject off email, too many or too large attachments', async () => {
    const { conversation } = await whatsappConversation();
    expectProblem(await send(conversation.id, {}), 400, 'validation_failed');
    expectProblem(await send(conversation.id, { text: 'x', subject: 'Hi' }), 422, 'validation_failed');
    expectProblem(await send(conversation.id, { text: 'x', bogus: 1 }), 400, 'validation_failed');
    const file = { filename: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('hi').toString('base64') };
    expectProblem(await send(conversation.id, { attachments: Array(11).fill(file) }), 400, 'validation_failed');
    const big = { ...file, contentBase64: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64') };
    expectProblem(await send(conversation.id, { attachments: [big] }), 413, 'payload_too_large');
    expectProblem(await send(conversation.id, { text: 'x', channelId: randomUUID() }), 404, 'not_found');
  });

  it('nothing queued is lost while Redis is down: the sweeper of a healthy app sends each message once', async () => {
    const { from, conversation } = await whatsappConversation();
    // An API process: Bull processors whose Redis never answered reject unhandled when the app closes
    // (@nestjs/bull drops the promise of queue.process), which jest would pin on this test.
    const a = await startApp({ APP_ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1', TEST_REDIS_URL: '' });
    const ids: string[] = [];
    try {
      for (const text of ['During the outage 1', 'During the outage 2']) {
        const res = await a.http().post(ws(`/conversations/${conversation.id}/messages`)).set(owner.auth).send({ text });
        expect(res.status).toBe(202);
        ids.push(res.body.id);
      }
    } finally {
      await a.close().catch(() => undefined);
    }
    const rows = await sql<{ status: string; updated_at: Date }>('select status, updated_at from messages where id = any($1)', [ids]);
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued']);
    // Other suites share the database: sweep only rows at least as stale as ours.
    const stale = Date.now() - Math.max(...rows.map((r) => r.updated_at.getTime())) - 50;
    const maintenance = t.app.get<OutboundMaintenanceService>(OUTBOUND_MAINTENANCE);
    expect(await maintenance.sweep(stale)).toBeGreaterThanOrEqual(2);
    await maintenance.sweep(stale);
    for (const id of ids) expect((await settled(id, 'sent')).attempts).toHaveLength(1);
    await maintenance.sweep(stale);
    const graph = (await sandboxRequests(t, 'whatsapp')).filter((r) => r.body?.to === `+${from}` && ids.includes(r.body?.biz_opaque_callback_data));
    expect(graph).toHaveLength(2);
  });

  it('a manual retry after the automatic attempts ran out gets the whole budget again', async () => {
    const { wa, conversation } = await whatsappConversation();
    const match = `/${wa.body.config.phoneNumberId}/messages`;
    await fault({ provider: 'whatsapp', status: 500, times: 3, match });
    const res = await send(conversation.id, { text: 'Persistent trouble' }).expect(202);
    const failed = await settled(res.body.id, 'failed');
    expect(failed.attempts.map((a: Json) => a.outcome)).toEqual(['retry', 'retry', 'failed']);
    expect(failed.error).toMatchObject({ code: '131000' });

    // Two more transient failures: the retry's own budget of three lets the third attempt through.
    await fault({ provider: 'whatsapp', status: 500, times: 2, match });
    await t.http().post(ws(`/messages/${res.body.id}/retry`)).set(owner.auth).expect(202);
    const sent = await settled(res.body.id, 'sent');
    expect(sent.attempts.map((a: Json) => a.outcome)).toEqual(['retry', 'retry', 'failed', 'retry', 'retry', 'sent']);
    expect(sent.statusHistory.map((h: Json) => h.status)).toEqual(['queued', 'failed', 'queued', 'sent']);
  });

  it('emits message.status_changed for every change (failed, queued again by the retry, sent) and message.sent when sent', async () => {
    const { wa, conversation } = await whatsappConversation();
    const recorded = recordDomainEvents(t, ['message.status_changed', 'message.sent']);
    try {
      await fault({ provider: 'whatsapp', status: 400, match: `/${wa.body.config.phoneNumberId}/messages`, body: { error: { message: '(#131026) Message undeliverable', code: 131026 } } });
      const res = await send(conversation.id, { text: 'Watch my events' }).expect(202);
      await settled(res.body.id, 'failed');
      await t.http().post(ws(`/messages/${res.body.id}/retry`)).set(owner.auth).expect(202);
      await settled(res.body.id, 'sent');
      const mine = () => recorded.events.filter((e) => e.payload.messageId === res.body.id);
      await until('message.sent', async () => (mine().some((e) => e.name === 'message.sent') ? true : undefined));
      expect(mine().filter((e) => e.name === 'message.status_changed').map((e) => e.payload.status)).toEqual(['failed', 'queued', 'sent']);
      expect(mine().filter((e) => e.name === 'message.sent')).toEqual([{ name: 'message.sent', payload: { workspaceId: owner.workspaceId, messageId: res.body.id, conversationId: conversation.id } }]);
    } finally {
      recorded.stop();
    }
  });

  it('WhatsApp and Telegram take one attachment per message: more answer 400 naming the field, and nothing is queued or sent', async () => {
    const file = (filename: string) => ({ filename, contentType: 'text/plain', contentBase64: Buffer.from(filename).toString('base64') });
    const two = [file('a.txt'), file('b.txt')];
    const { wa, from, contact, conversation } = await whatsappConversation();
    const tg = await connectTelegram(t, owner);
    const userId = String(randomInt(100_000_000, 999_999_999));
    await sandboxInbound(t, owner, tg.id, { from: userId, text: 'Files please' });
    const tgConversation = await conversationOf(t, owner, (await contactWith(t, owner, userId)).id);
    const providerCalls = async () =>
      ((await t.http().get('/sandbox/requests').expect(200)).body.data as Json[]).filter((r) => r.body?.to === `+${from}` || String(r.body?.chat_id ?? '') === userId).length;
    const callsBefore = await providerCalls();

    for (const res of [
      await send(conversation.id, { text: 'Both files', attachments: two }),
      await t.http().post(ws('/messages')).set(owner.auth).send({ contactId: contact.id, channelId: wa.id, attachments: two }),
      await send(tgConversation.id, { attachments: two }),
    ]) {
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual([{ field: 'attachments', message: expect.stringContaining('at most one attachment') }]);
    }
    expect((await allMessages(t, owner, conversation.id)).filter((m) => m.direction === 'outbound')).toHaveLength(0);
    expect((await allMessages(t, owner, tgConversation.id)).filter((m) => m.direction === 'outbound')).toHaveLength(0);
    expect(await providerCalls()).toBe(callsBefore);

    // Email carries them all in one message.
    const pm = await connectEmail(t, owner);
    const email = `files-${randomUUID().slice(0, 8)}@customer.example`;
    await sandboxInbound(t, owner, pm.id, { from: email, text: 'Send both', subject: 'Files' });
    const emailConversation = await conversationOf(t, owner, (await contactWith(t, owner, email)).id);
    const res = await send(emailConversation.id, { text: 'Here they are', attachments: two }).expect(202);
    expect(res.body.attachments.map((a: Json) => a.filename)).toEqual(['a.txt', 'b.txt']);
    await settled(res.body.id, 'sent');
    const [request] = await requestsFor('postmark', res.body.id, '/email');
    expect(request.body.Attachments.map((a: Json) => a.Name)).toEqual(['a.txt', 'b.txt']);
  });

  it('Telegram 403 fails the message at once, marks the chat unreachable, and the next send answers recipient_unreachable', async () => {
    const tg = await connectTelegram(t, owner);
    const userId = String(randomInt(100_000_000, 999_999_999));
    await sandboxInbound(t, owner, tg.id, { from: userId, text: 'Hi bot' });
    const contact = await contactWith(t, owner, userId);
    const conversation = await conversationOf(t, owner, contact.id);
    await fault({
      provider: 'telegram',
      status: 403,
      match: `/bot${tg.botToken.split(':')[0]}:***/sendMessage`,
      body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' },
    });
    const res = await send(conversation.id, { text: 'Anyone there?' }).expect(202);
    const failed = await settled(res.body.id, 'failed');
    expect(failed.error).toEqual({ code: '403', message: expect.stringContaining('blocked'), retryable: false });
    expect(failed.attempts).toEqual([{ at: expect.any(String), outcome: 'failed', errorCode: '403' }]);
    // Marked right after the failure is committed.
    const identifier = await until('identifier undeliverable', async () => {
      const view = (await t.http().get(ws(`/contacts/${contact.id}`)).set(owner.auth).expect(200)).body;
      const found = view.identifiers.find((i: Json) => i.kind === 'telegram');
      return found?.undeliverable ? found : undefined;
    });
    expect(identifier.value).toBe(userId);
    expectProblem(await send(conversation.id, { text: 'Hello again?' }), 422, 'recipient_unreachable');
    const calls = (await sandboxRequests(t, 'telegram')).filter(
      (r) => r.path.split('?')[0].endsWith('/sendMessage') && r.body?.chat_id === userId,
    );
    expect(calls).toHaveLength(1);
  });

  it('Redis loses the queued jobs (keys gone): the sweeper sends each message exactly once', async () => {
    const { from, conversation } = await whatsappConversation();
    const queue = t.app.get<Queue>('BullQueue_outbound');
    const redis = new Redis(process.env.REDIS_URL!);
    const ids: string[] = [];
    // This app's worker is the only one on this prefix: paused, the jobs stay in Redis untouched.
    await queue.pause(true);
    try {
      for (const text of ['Before the wipe 1', 'Before the wipe 2']) ids.push((await send(conversation.id, { text }).expect(202)).body.id);
      for (const id of ids) expect(await (await queue.getJob(id))?.getState()).toBe('waiting');
      // What a Redis restart without persistence leaves: none of the queue's keys.
      const pattern = `${process.env.REDIS_PREFIX}:bull:outbound:*`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      for (const id of ids) expect(await queue.getJob(id)).toBeNull();
    } finally {
      await queue.resume(true);
      redis.disconnect();
    }
    // Only our rows look stale enough to the sweeper: rows of suites running beside this one are left alone.
    await sql('update messages set updated_at = now() - interval \'1 day\' where id = any($1)', [ids]);
    const maintenance = t.app.get<OutboundMaintenanceService>(OUTBOUND_MAINTENANCE);
    expect(await maintenance.sweep(12 * 3600 * 1000)).toBe(2);
    for (const id of ids) expect((await settled(id, 'sent')).attempts).toEqual([{ at: expect.any(String), outcome: 'sent' }]);
    expect(await maintenance.sweep(12 * 3600 * 1000)).toBe(0);
    for (const id of ids) expect((await requestsFor('whatsapp', id, '/messages')).filter((r) => r.body?.to === `+${from}`)).toHaveLength(1);
  });
});
