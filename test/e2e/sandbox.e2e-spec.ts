import { createHash } from 'node:crypto';
import type { SandboxFaults, SandboxMediaStore, SandboxRecorder, SandboxTelegramBots, SandboxTemplateStore } from '../../src/modules/sandbox';
import {
  SANDBOX_FAULTS,
  SANDBOX_MEDIA,
  SANDBOX_RECORDER,
  SANDBOX_TELEGRAM_BOTS,
  SANDBOX_TEMPLATES,
} from '../../src/modules/sandbox';
import { startApp, TestApp } from '../utils/test-app';

const BOT = '123456:AAH-secret-part';
const tg = (method: string, token = BOT) => `/sandbox/telegram/bot${token}/${method}`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('provider sandbox (SANDBOX=true)', () => {
  let t: TestApp;
  let recorder: SandboxRecorder;
  let faults: SandboxFaults;

  beforeAll(async () => {
    t = await startApp({ SANDBOX: 'true' });
    // String tokens: the app lives in its own module registry, so our class objects are not its classes.
    recorder = t.app.get<SandboxRecorder>(SANDBOX_RECORDER);
    faults = t.app.get<SandboxFaults>(SANDBOX_FAULTS);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.http().post('/sandbox/reset').expect(204);
  });

  describe('Postmark', () => {
    it('accepts an email with a server token and records it', async () => {
      const email = { From: 'support@acme.test', To: 'ana@example.com', Subject: 'Hi', TextBody: 'Hello' };
      const res = await t.http().post('/sandbox/postmark/email').set('X-Postmark-Server-Token', 'pm-token-1').send(email).expect(200);
      expect(res.body).toEqual({
        To: 'ana@example.com',
        SubmittedAt: expect.any(String),
        MessageID: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        ErrorCode: 0,
        Message: 'OK',
      });
      expect(Number.isNaN(Date.parse(res.body.SubmittedAt))).toBe(false);

      const { body } = await t.http().get('/sandbox/requests?provider=postmark').expect(200);
      expect(body.data).toHaveLength(1);
      expect(body.data[0]).toMatchObject({
        provider: 'postmark',
        method: 'POST',
        path: '/sandbox/postmark/email',
        headers: { 'x-postmark-server-token': 'pm-token-1', 'content-type': expect.stringContaining('application/json') },
        body: email,
        status: 200,
        at: expect.any(String),
      });
    });

    it('answers 401 ErrorCode 10 without a token or with a rejected one', async () => {
      const missing = await t.http().post('/sandbox/postmark/email').send({ From: 'a@b.test', To: 'c@d.test' }).expect(401);
      expect(missing.body).toEqual({ ErrorCode: 10, Message: expect.any(String) });
      const bad = await t.http().post('/sandbox/postmark/email').set('X-Postmark-Server-Token', 'invalid-x').send({ From: 'a@b.test', To: 'c@d.test' }).expect(401);
      expect(bad.body.ErrorCode).toBe(10);
    });

    it('answers 422 ErrorCode 300 for an email without recipients', async () => {
      const res = await t.http().post('/sandbox/postmark/email').set('X-Postmark-Server-Token', 't').send({ From: 'a@b.test' }).expect(422);
      expect(res.body.ErrorCode).toBe(300);
    });
  });

  describe('Graph (WhatsApp Cloud API)', () => {
    const send = (body: object, token = 'EAAG-sandbox') =>
      t.http().post('/sandbox/graph/1098765/messages').set('Authorization', `Bearer ${token}`).send(body);

    it('accepts a text message and records it', async () => {
      const message = { messaging_product: 'whatsapp', recipient_type: 'individual', to: '+16505551234', type: 'text', text: { body: 'Hi' } };
      const res = await send(message).expect(200);
      expect(res.body).toEqual({
        messaging_product: 'whatsapp',
        contacts: [{ input: '+16505551234', wa_id: '16505551234' }],
        messages: [{ id: expect.stringMatching(/^wamid\.[A-Za-z0-9_-]+$/) }],
      });
      const [recorded] = recorder.list({ provider: 'whatsapp' });
      expect(recorded).toMatchObject({
        method: 'POST',
        path: '/sandbox/graph/1098765/messages',
        headers: { authorization: 'Bearer EAAG-sandbox' },
        body: message,
        status: 200,
      });
    });

    it('accepts a versioned base URL like the real Graph', async () => {
      await t
        .http()
        .post('/sandbox/graph/v21.0/1098765/messages')
        .set('Authorization', 'Bearer x')
        .send({ messaging_product: 'whatsapp', to: '+1555', type: 'text', text: { body: 'v' } })
        .expect(200);
    });

    it('requires a bearer token', async () => {
      const missing = await t.http().post('/sandbox/graph/1098765/messages').send({ messaging_product: 'whatsapp' }).expect(401);
      expect(missing.body.error).toMatchObject({ code: 190, type: 'OAuthException' });
      const bad = await send({ messaging_product: 'whatsapp', to: '+1', text: { body: 'x' } }, 'bad').expect(401);
      expect(bad.body.error.code).toBe(190);
    });

    it('lists the default templates and checks template sends against them', async () => {
      const res = await t.http().get('/sandbox/graph/555000111/message_templates?limit=100').set('Authorization', 'Bearer x').expect(200);
      expect(res.body.paging).toEqual({});
      expect(res.body.data).toEqual([
        expect.objectContaining({ name: 'order_update', language: 'en_US', status: 'APPROVED', category: expect.any(String) }),
        expect.objectContaining({ name: 'welcome', language: 'en_US', status: 'APPROVED' }),
      ]);
      expect(res.body.data[0].components[0].text).toMatch(/\{\{1\}\}.*\{\{2\}\}/);

      const template = (name: string, params: string[]) => ({
        messaging_product: 'whatsapp',
        to: '+16505551234',
        type: 'template',
        template: {
          name,
          language: { code: 'en_US' },
          components: params.length ? [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] : [],
        },
      });
      const ok = await send(template('order_update', ['Ana', '#1042'])).expect(200);
      expect(ok.body.messages[0].message_status).toBe('accepted');
      await send(template('welcome', [])).expect(200);
      expect((await send(template('order_update', ['Ana'])).expect(400)).body.error.code).toBe(132000);
      expect((await send(template('nope', [])).expect(404)).body.error.code).toBe(132001);
    });

    it('serves seeded templates with cursor paging', async () => {
      const templates = t.app.get<SandboxTemplateStore>(SANDBOX_TEMPLATES);
      templates.add({ name: 'shipping_notice', language: 'pt_BR', category: 'UTILITY', components: [{ type: 'BODY', text: 'Olá {{1}}' }] });
      const first = await t.http().get('/sandbox/graph/555/message_templates?limit=2').set('Authorization', 'Bearer x').expect(200);
      expect(first.body.data.map((x: { name: string }) => x.name)).toEqual(['order_update', 'welcome']);
      expect(first.body.paging.next).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/graph\/555\/message_templates\?/);
      const next = new URL(first.body.paging.next);
      const second = await t.http().get(`${next.pathname}${next.search}`).set('Authorization', 'Bearer x').expect(200);
      expect(second.body.data.map((x: { name: string }) => x.name)).toEqual(['shipping_notice']);
      expect(second.body.paging).toEqual({});
    });

    it('uploads media as multipart, records file metadata, and serves it back through the download flow', async () => {
      const upload = await t
        .http()
        .post('/sandbox/graph/1098765/media')
        .set('Authorization', 'Bearer EAAG-media')
        .field('messaging_product', 'whatsapp')
        .field('type', 'image/png')
        .attach('file', PNG, { filename: 'logo.png', contentType: 'image/png' })
        .expect(200);
      expect(upload.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
      const mediaId = upload.body.id as string;
      expect(recorder.last('whatsapp')).toMatchObject({
        path: '/sandbox/graph/1098765/media',
        headers: { 'content-type': expect.stringContaining('multipart/form-data') },
        body: { messaging_product: 'whatsapp', type: 'image/png', file: { filename: 'logo.png', contentType: 'image/png', size: PNG.length } },
      });

      const info = await t.http().get(`/sandbox/graph/${mediaId}`).set('Authorization', 'Bearer EAAG-media').expect(200);
      expect(info.body).toEqual({
        messaging_product: 'whatsapp',
        url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/graph\/download\//),
        mime_type: 'image/png',
        sha256: createHash('sha256').update(PNG).digest('hex'),
        file_size: PNG.length,
        id: mediaId,
      });
      // Fetch the absolute URL over the network, as an adapter would.
      const withToken = await fetch(info.body.url, { headers: { Authorization: 'Bearer EAAG-media' } });
      expect(withToken.status).toBe(200);
      expect(withToken.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await withToken.arrayBuffer()).equals(PNG)).toBe(true);
      expect((await fetch(info.body.url)).status).toBe(401);
      expect((await fetch(info.body.url, { headers: { Authorization: 'Bearer someone-else' } })).status).toBe(401);
      // An expired URL answers 404, which tells the adapter to look the media up again.
      const expired = new URL(info.body.url);
      expired.searchParams.set('expires', String(Date.now() - 1));
      expect((await fetch(expired, { headers: { Authorization: 'Bearer EAAG-media' } })).status).toBe(404);
    });

    it('looks up media seeded from tests (simulated inbound media) and rejects unknown ids', async () => {
      const media = t.app.get<SandboxMediaStore>(SANDBOX_MEDIA).put('whatsapp', { data: Buffer.from('voice'), contentType: 'audio/ogg' });
      const info = await t.http().get(`/sandbox/graph/v21.0/${media.id}?phone_number_id=1`).set('Authorization', 'Bearer x').expect(200);
      expect(info.body.mime_type).toBe('audio/ogg');
      const unknown = await t.http().get('/sandbox/graph/99999').set('Authorization', 'Bearer x').expect(400);
      expect(unknown.body.error.code).toBe(100);
    });
  });

  describe('Telegram', () => {
    it('answers getMe and rejects bad tokens with 401', async () => {
      const res = await t.http().get(tg('getMe')).expect(200);
      expect(res.body).toEqual({ ok: true, result: { id: 123456, is_bot: true, first_name: 'Sandbox Bot', username: 'sandbox_bot' } });
      for (const token of ['bad', 'invalid-123', 'invalid']) {
        const denied = await t.http().post(tg('getMe', token)).expect(401);
        expect(denied.body).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
      }
    });

    it('sets, reports and deletes the webhook, and redacts the token in recordings', async () => {
      const secret = 'a'.repeat(40);
      const set = await t.http().post(tg('setWebhook')).send({ url: 'https://example.test/hook', secret_token: secret, max_connections: 10 }).expect(200);
      expect(set.body).toEqual({ ok: true, result: true, description: 'Webhook was set' });
      expect(t.app.get<SandboxTelegramBots>(SANDBOX_TELEGRAM_BOTS).webhook(BOT)).toMatchObject({ url: 'https://example.test/hook', secretToken: secret });
      const info = await t.http().get(tg('getWebhookInfo')).expect(200);
      expect(info.body.result).toMatchObject({ url: 'https://example.test/hook', pending_update_count: 0, max_connections: 10 });
      expect(JSON.stringify(info.body)).not.toContain(secret);
      await t.http().post(tg('deleteWebhook')).expect(200, { ok: true, result: true, description: 'Webhook was deleted' });
      expect((await t.http().get(tg('getWebhookInfo')).expect(200)).body.result.url).toBe('');
      const bad = await t.http().post(tg('setWebhook')).send({ url: 'https://x.test', secret_token: 'has spaces' }).expect(400);
      expect(bad.body).toMatchObject({ ok: false, error_code: 400 });

      const recorded = recorder.list({ provider: 'telegram' });
      expect(recorded[0]).toMatchObject({ method: 'POST', path: '/sandbox/telegram/bot123456:***/setWebhook', body: { secret_token: secret } });
      expect(JSON.stringify(recorded)).not.toContain('AAH-secret-part');
    });

    it('sends a text message (JSON) with increasing message ids', async () => {
      const first = await t.http().post(tg('sendMessage')).send({ chat_id: 42, text: 'hello' }).expect(200);
      expect(first.body).toEqual({
        ok: true,
        result: {
          message_id: 1,
          from: expect.objectContaining({ is_bot: true, username: 'sandbox_bot' }),
          chat: { id: 42, type: 'private' },
          date: expect.any(Number),
          text: 'hello',
        },
      });
      const second = await t.http().post(tg('sendMessage')).send({ chat_id: '42', text: 'again' }).expect(200);
      expect(second.body.result.message_id).toBe(2);
      expect(recorder.last('telegram')?.body).toEqual({ chat_id: '42', text: 'again' });
      const empty = await t.http().post(tg('sendMessage')).send({ chat_id: 42 }).expect(400);
      expect(empty.body).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message text is empty' });
    });

    it('takes a multipart sendPhoto, records the file metadata, and serves it via getFile and the file URL', async () => {
      const res = await t
        .http()
        .post(tg('sendPhoto'))
        .field('chat_id', '42')
        .field('caption', 'our logo')
        .attach('photo', PNG, { filename: 'logo.png', contentType: 'image/png' })
        .expect(200);
      expect(res.body.result).toMatchObject({ chat: { id: 42 }, caption: 'our logo', photo: [expect.objectContaining({ file_size: PNG.length })] });
      expect(recorder.last('telegram')).toMatchObject({
        path: '/sandbox/telegram/bot123456:***/sendPhoto',
        body: { chat_id: '42', caption: 'our logo', photo: { filename: 'logo.png', contentType: 'image/png', size: PNG.length } },
      });

      const fileId = res.body.result.photo[0].file_id as string;
      const file = await t.http().get(`${tg('getFile')}?file_id=${encodeURIComponent(fileId)}`).expect(200);
      expect(file.body.result).toMatchObject({ file_id: fileId, file_size: PNG.length, file_path: expect.stringMatching(/^photos\/file_\d+\.png$/) });
      const bytes = await t.http().get(`/sandbox/telegram/file/bot${BOT}/${file.body.result.file_path}`).buffer(true).expect(200);
      expect(Buffer.from(bytes.body).equals(PNG)).toBe(true);
      expect(recorder.last('telegram')?.path).toBe(`/sandbox/telegram/file/bot123456:***/${file.body.result.file_path}`);
      await t.http().get(`/sandbox/telegram/file/bot${BOT}/photos/nope.png`).expect(404);
      expect((await t.http().get(`${tg('getFile')}?file_id=nope`).expect(400)).body.description).toBe('Bad Request: invalid file_id');
    });

    it('takes a multipart sendDocument', async () => {
      const res = await t
        .http()
        .post(tg('sendDocument'))
        .field('chat_id', '-100777')
        .attach('document', Buffer.from('%PDF-1.4'), { filename: 'invoice.pdf', contentType: 'application/pdf' })
        .expect(200);
      expect(res.body.result).toMatchObject({
        chat: { id: -100777, type: 'supergroup' },
        document: { file_name: 'invoice.pdf', mime_type: 'application/pdf', file_size: 8, file_id: expect.any(String) },
      });
    });

    it('answers 404 for unknown methods and malformed paths', async () => {
      expect((await t.http().post(tg('launchRocket')).expect(404)).body).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
      await t.http().get('/sandbox/telegram/nobot/getMe').expect(404);
    });
  });

  describe('fault injection', () => {
    it('answers queued faults in order, then succeeds (500, 500, then 200)', async () => {
      const fault = await t.http().post('/sandbox/faults').send({ provider: 'postmark', status: 500, times: 2 }).expect(201);
      expect(fault.body).toMatchObject({ provider: 'postmark', status: 500, times: 2, remaining: 2 });
      const email = () => t.http().post('/sandbox/postmark/email').set('X-Postmark-Server-Token', 't').send({ From: 'a@b.test', To: 'c@d.test' });
      const first = await email().expect(500);
      expect(first.body).toEqual({ ErrorCode: expect.any(Number), Message: expect.any(String) });
      await email().expect(500);
      await email().expect(200);
      expect(recorder.list({ provider: 'postmark' }).map((r) => r.status)).toEqual([500, 500, 200]);
    });

    it('returns a Telegram 429 with retry_after for the matching method only', async () => {
      const tooMany = { ok: false, error_code: 429, description: 'Too Many Requests: retry after 2', parameters: { retry_after: 2 } };
      await t.http().post('/sandbox/faults').send({ provider: 'telegram', status: 429, body: tooMany, match: 'sendMessage' }).expect(201);
      await t.http().get(tg('getMe')).expect(200);
      const limited = await t.http().post(tg('sendMessage')).send({ chat_id: 1, text: 'x' }).expect(429);
      expect(limited.body).toEqual(tooMany);
      await t.http().post(tg('sendMessage')).send({ chat_id: 1, text: 'x' }).expect(200);
    });

    it('returns a Graph error body as given, and faults can be queued from the container too', async () => {
      faults.add({
        provider: 'whatsapp',
        status: 400,
        body: { error: { message: '(#131047) Re-engagement message', type: 'OAuthException', code: 131047, error_data: { messaging_product: 'whatsapp', details: 'Message failed to send because more than 24 hours have passed.' } } },
      });
      expect((await t.http().get('/sandbox/faults').expect(200)).body.data).toHaveLength(1);
      const res = await t
        .http()
        .post('/sandbox/graph/1/messages')
        .set('Authorization', 'Bearer x')
        .send({ messaging_product: 'whatsapp', to: '+1', type: 'text', text: { body: 'late' } })
        .expect(400);
      expect(res.body.error.code).toBe(131047);
      expect(recorder.last('whatsapp')?.status).toBe(400);
    });

    it('clears faults and validates new ones', async () => {
      await t.http().post('/sandbox/faults').send({ provider: 'telegram', status: 502 }).expect(201);
      await t.http().delete('/sandbox/faults').expect(204);
      await t.http().get(tg('getMe')).expect(200);
      const invalid = await t.http().post('/sandbox/faults').send({ provider: 'sms', status: 42 }).expect(400);
      expect(invalid.body.code).toBe('validation_failed');
    });
  });

  describe('request inspection', () => {
    it('filters by provider and since, and clears', async () => {
      await t.http().get(tg('getMe'));
      await new Promise((r) => setTimeout(r, 5));
      const since = new Date().toISOString();
      await t.http().post('/sandbox/postmark/email').set('X-Postmark-Server-Token', 't').send({ From: 'a@b.test', To: 'c@d.test' });
      expect((await t.http().get('/sandbox/requests').expect(200)).body.data).toHaveLength(2);
      const recent = await t.http().get(`/sandbox/requests?since=${encodeURIComponent(since)}`).expect(200);
      expect(recent.body.data.map((r: { provider: string }) => r.provider)).toEqual(['postmark']);
      expect((await t.http().get('/sandbox/requests?provider=telegram').expect(200)).body.data).toHaveLength(1);
      await t.http().get('/sandbox/requests?since=yesterday').expect(400);
      await t.http().delete('/sandbox/requests').expect(204);
      expect((await t.http().get('/sandbox/requests').expect(200)).body.data).toEqual([]);
    });

    it("documents the sandbox's own routes, not the provider fakes' APIs", async () => {
      const doc = await t.http().get('/docs-json').expect(200);
      expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/sandbox')).sort()).toEqual([
        '/sandbox/channels/{channelId}/inbound',
        '/sandbox/channels/{channelId}/status',
        '/sandbox/faults',
        '/sandbox/requests',
        '/sandbox/reset',
      ]);
      const fault = doc.body.components.schemas.CreateFaultDto;
      expect(Object.keys(fault.properties).sort()).toEqual(['body', 'delayMs', 'headers', 'match', 'provider', 'status', 'times']);
    });

    it('still answers multipart on non-sandbox routes with 415', async () => {
      const res = await t.http().post('/v1/nothing-here').field('a', 'b').expect(415);
      expect(res.body.code).toBe('unsupported_media_type');
    });
  });
});

describe('provider sandbox (SANDBOX unset)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SANDBOX: 'false' });
  });
  afterAll(() => t.close());

  it('mounts no /sandbox routes', async () => {
    await t.http().post('/sandbox/postmark/email').set('X-Postmark-Server-Token', 't').send({ From: 'a@b.test', To: 'c@d.test' }).expect(404);
    await t.http().get('/sandbox/telegram/bot1:x/getMe').expect(404);
    await t.http().post('/sandbox/graph/1/messages').set('Authorization', 'Bearer x').send({}).expect(404);
    await t.http().get('/sandbox/requests').expect(404);
    await t.http().post('/sandbox/faults').send({ provider: 'postmark', status: 500 }).expect(404);
    const doc = await t.http().get('/docs-json').expect(200);
    expect(Object.keys(doc.body.paths).filter((p) => p.startsWith('/sandbox'))).toEqual([]);
  });
});
