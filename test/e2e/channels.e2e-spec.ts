import { randomUUID } from 'node:crypto';
import { waFailedStatus, waInbound, waStatus, waStatusNotification, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { tgTextUpdate } from '../../src/modules/channels/adapters/telegram/fixtures';
import { postmarkInbound } from '../../src/modules/channels/adapters/postmark/fixtures';
import { connectEmail, connectTelegram, connectWhatsapp, postPostmark, postTelegram, postWhatsapp, waitForLedger } from '../utils/channels';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

describe('channels: connect, verify, store, process', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  it('pages the channel list oldest first with an opaque cursor', async () => {
    const own = await signup(t);
    const ids = [(await connectWhatsapp(t, own)).id, (await connectEmail(t, own)).id, (await connectTelegram(t, own)).id];
    const url = `/v1/workspaces/${own.workspaceId}/channels`;
    const first = await t.http().get(url).query({ limit: 2 }).set(own.auth).expect(200);
    expect(first.body.data.map((c: { id: string }) => c.id)).toEqual(ids.slice(0, 2));
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http().get(url).query({ limit: 2, cursor: first.body.nextCursor }).set(own.auth).expect(200);
    expect(second.body).toEqual({ data: [expect.objectContaining({ id: ids[2], type: 'telegram' })], nextCursor: null });
    expect((await t.http().get(url).query({ limit: 201 }).set(own.auth).expect(400)).body.code).toBe('validation_failed');
  });

  it('connects WhatsApp with masked secrets and a verify-token handshake', async () => {
    const wa = await connectWhatsapp(t, owner);
    expect(wa.body).toMatchObject({ type: 'whatsapp', status: 'active', webhook: { url: expect.stringContaining(`/v1/webhooks/whatsapp/${wa.id}`), verifyToken: expect.any(String) } });
    expect(wa.body.config.accessToken).toMatch(/^••••.{4}$/);
    expect(wa.body.config.appSecret).toMatch(/^••••.{4}$/);
    expect(JSON.stringify(wa.body)).not.toContain(wa.appSecret);
    const token = wa.body.webhook.verifyToken;
    const ok = await t.http().get(`/v1/webhooks/whatsapp/${wa.id}`).query({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' }).expect(200);
    expect(ok.text).toBe('1158201444');
    await t.http().get(`/v1/webhooks/whatsapp/${wa.id}`).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': 'x' }).expect(403);
  });

  it('stores a signed WhatsApp webhook, rejects a bad signature, and processes it once', async () => {
    const wa = await connectWhatsapp(t, owner);
    const payload = waInbound(waText('Grüße aus Köln — äöå', `wamid.${Date.now()}`));
    await postWhatsapp(t, wa.id, payload, 'wrong-secret').expect(401).expect((r) => expect(r.body.code).toBe('invalid_signature'));
    const first = await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200);
    expect(first.body).toMatchObject({ duplicate: false, status: 'pending' });
    const again = await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200);
    expect(again.body.duplicate).toBe(true);
    const events = await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed');
    expect(events[0].payload).toEqual(payload);
  });

  it('turns 20 concurrent copies of one delivery into one ledger row', async () => {
    const wa = await connectWhatsapp(t, owner);
    const payload = waInbound(waText('concurrent', `wamid.C${Date.now()}`));
    const answers = await Promise.all(Array.from({ length: 20 }, () => postWhatsapp(t, wa.id, payload, wa.appSecret)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
    const events = await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed');
    expect(events).toHaveLength(1);
  });

  it('acknowledges malformed JSON from a verified sender and stores it as ignored', async () => {
    const wa = await connectWhatsapp(t, owner);
    await postWhatsapp(t, wa.id, '{"object": "whatsapp_business_account", "entry": [', wa.appSecret).expect(200);
    await postWhatsapp(t, wa.id, { hello: 'world' }, wa.appSecret).expect(200);
    const events = await waitForLedger(t, owner, wa.id, (e) => e.length === 2);
    expect(events.map((e) => e.status)).toEqual(['ignored', 'ignored']);
    expect(events.map((e) => e.reason)).toEqual([expect.stringMatching(/unrecognized/), expect.stringMatching(/malformed JSON/)]);
    expect(typeof events[1].payload).toBe('string');
  });

  it('connects Telegram through getMe + setWebhook and verifies the secret header', async () => {
    const tg = await connectTelegram(t, owner);
    expect(tg.body.config).toMatchObject({ username: 'sandbox_bot', botToken: expect.stringMatching(/^••••/) });
    expect(tg.body.webhook).toEqual({ url: expect.stringContaining(`/v1/webhooks/telegram/${tg.id}`) });
    expect(tg.secret.length).toBeGreaterThanOrEqual(32);
    await postTelegram(t, tg.id, tgTextUpdate(), 'not-the-secret').expect(401);
    await t.http().post(`/v1/webhooks/telegram/${tg.id}`).send(tgTextUpdate()).expect(401);
    await postTelegram(t, tg.id, tgTextUpdate(), tg.secret).expect(200);
    await waitForLedger(t, owner, tg.id, (e) => e.length === 1 && e[0].status === 'processed');
  });

  it('answers 422 with Telegram’s description when the bot token is rejected', async () => {
    const res = await t.http().post(`/v1/workspaces/${owner.workspaceId}/channels`).set(owner.auth).send({ type: 'telegram', name: 'Bad', config: { botToken: 'invalid-token-123' } }).expect(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.detail).toMatch(/Unauthorized/);
  });

  it('disconnecting Telegram calls deleteWebhook and later webhooks answer 401', async () => {
    const tg = await connectTelegram(t, owner);
    await t.http().delete(`/v1/workspaces/${owner.workspaceId}/channels/${tg.id}`).set(owner.auth).expect(204);
    const recorded = (await t.http().get('/sandbox/requests?provider=telegram').expect(200)).body;
    const list = recorded.data ?? recorded;
    expect(list.some((r: { path: string }) => r.path.includes('/deleteWebhook'))).toBe(true);
    await postTelegram(t, tg.id, tgTextUpdate(), tg.secret).expect(401);
    expect((await t.http().get(`/v1/workspaces/${owner.workspaceId}/channels/${tg.id}`).set(owner.auth).expect(200)).body.status).toBe('disconnected');
  });

  it('connects Postmark with Basic credentials embedded in the handed-out URLs', async () => {
    const pm = await connectEmail(t, owner);
    expect(pm.body.webhook.inboundUrl).toMatch(/^http:\/\/[^:]+:[^@]+@127\.0\.0\.1/);
    expect(pm.body.config).toMatchObject({ fromAddress: 'support@acme.example', messageStream: 'outbound', serverToken: expect.stringMatching(/^••••/) });
    await postPostmark(t, pm.id, 'inbound', postmarkInbound({ MessageID: `pm-${Date.now()}` }), 'Basic d3Jvbmc6d3Jvbmc=').expect(401);
    await postPostmark(t, pm.id, 'inbound', postmarkInbound({ MessageID: `pm-${Date.now()}` }), pm.authorization).expect(200);
    const [event] = await waitForLedger(t, owner, pm.id, (e) => e.length === 1 && e[0].status === 'processed');
    expect(event.kind).toBe('inbound');
  });

  it('validates channel config per type with field errors', async () => {
    const res = await t.http().post(`/v1/workspaces/${owner.workspaceId}/channels`).set(owner.auth).send({ type: 'whatsapp', name: 'x', config: { phoneNumberId: 'abc', extra: 1 } }).expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['config.phoneNumberId', 'config.accessToken', 'config.appSecret', 'config.extra']));
  });

  it('answers 401 for webhooks to unknown or malformed channel ids', async () => {
    await postWhatsapp(t, '01a22598-0000-7000-8000-000000000000', waInbound(waText()), 'x').expect(401);
    await postWhatsapp(t, 'not-a-uuid', waInbound(waText()), 'x').expect(401);
  });

  it('simulates customer messages on every channel type through /sandbox/channels/{id}/inbound', async () => {
    const channels = [await connectWhatsapp(t, owner), await connectTelegram(t, owner), await connectEmail(t, owner)];
    const senders = ['4915112345678', '912345678', 'jane@customer.example'];
    for (const [i, channel] of channels.entries()) {
      const res = await t.http().post(`/sandbox/channels/${channel.id}/inbound`).send({ from: senders[i], text: `hello ${i}` }).expect(200);
      expect(res.body).toMatchObject({ webhookStatus: 200, webhookResponse: { duplicate: false, status: 'pending' } });
      const [event] = await waitForLedger(t, owner, channel.id, (e) => e.length === 1 && e[0].status === 'processed');
      expect(JSON.stringify(event.payload)).toContain(`hello ${i}`);
    }
    await t.http().post('/sandbox/channels/01a22598-0000-7000-8000-000000000000/inbound').send({ from: 'x', text: 'y' }).expect(404);
  });

  describe('redelivery through the real endpoints, by each provider key', () => {
    const updateId = () => Math.floor(Math.random() * 1e9);

    it('Telegram: update_id is the key, whatever the body', async () => {
      const tg = await connectTelegram(t, owner);
      const update = { ...tgTextUpdate('first delivery'), update_id: updateId() };
      expect((await postTelegram(t, tg.id, update, tg.secret).expect(200)).body).toMatchObject({ duplicate: false, status: 'pending' });
      expect((await postTelegram(t, tg.id, update, tg.secret).expect(200)).body).toEqual({ eventId: null, duplicate: true, status: 'duplicate' });
      expect((await postTelegram(t, tg.id, { ...tgTextUpdate('edited body'), update_id: update.update_id }, tg.secret).expect(200)).body.duplicate).toBe(true);
      expect((await postTelegram(t, tg.id, { ...update, update_id: update.update_id + 1 }, tg.secret).expect(200)).body.duplicate).toBe(false);
      const events = await waitForLedger(t, owner, tg.id, (e) => e.length === 2 && e.every((x) => x.status === 'processed'));
      expect(events.map((e) => e.attempts)).toEqual([1, 1]);
    });

    it('Postmark inbound: MessageID is the key', async () => {
      const pm = await connectEmail(t, owner);
      const mail = postmarkInbound({ MessageID: randomUUID() });
      expect((await postPostmark(t, pm.id, 'inbound', mail, pm.authorization).expect(200)).body.duplicate).toBe(false);
      expect((await postPostmark(t, pm.id, 'inbound', mail, pm.authorization).expect(200)).body).toEqual({ eventId: null, duplicate: true, status: 'duplicate' });
      expect((await postPostmark(t, pm.id, 'inbound', { ...mail, MessageID: randomUUID() }, pm.authorization).expect(200)).body.duplicate).toBe(false);
      const events = await waitForLedger(t, owner, pm.id, (e) => e.length === 2 && e.every((x) => x.status === 'processed'));
      expect(events.map((e) => e.attempts)).toEqual([1, 1]);
    });

    it('WhatsApp status: (id, status) is the key, plus the error code of a failure', async () => {
      const wa = await connectWhatsapp(t, owner);
      const post = async (status: Record<string, unknown>) => (await postWhatsapp(t, wa.id, waStatusNotification(status), wa.appSecret).expect(200)).body.duplicate;
      expect(await post(waStatus('delivered'))).toBe(false);
      expect(await post(waStatus('delivered'))).toBe(true);
      expect(await post(waStatus('read'))).toBe(false);
      expect(await post(waFailedStatus())).toBe(false);
      expect(await post(waFailedStatus())).toBe(true);
      expect(await post(waStatus('failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] }))).toBe(false);
      const events = await waitForLedger(t, owner, wa.id, (e) => e.length === 4 && e.every((x) => x.status === 'processed'));
      expect(events.map((e) => e.attempts)).toEqual([1, 1, 1, 1]);
    });

    it('turns 20 concurrent copies of one Telegram update into one ledger row', async () => {
      const tg = await connectTelegram(t, owner);
      const update = { ...tgTextUpdate('concurrent'), update_id: updateId() };
      const answers = await Promise.all(Array.from({ length: 20 }, () => postTelegram(t, tg.id, update, tg.secret)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
      const events = await waitForLedger(t, owner, tg.id, (e) => e.length === 1 && e[0].status === 'processed');
      expect(events[0].attempts).toBe(1);
    });

    it('turns 20 concurrent copies of one Postmark inbound mail into one ledger row', async () => {
      const pm = await connectEmail(t, owner);
      const mail = postmarkInbound({ MessageID: randomUUID() });
      const answers = await Promise.all(Array.from({ length: 20 }, () => postPostmark(t, pm.id, 'inbound', mail, pm.authorization)));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
      expect(answers.filter((a) => a.body.duplicate === false)).toHaveLength(1);
      const events = await waitForLedger(t, owner, pm.id, (e) => e.length === 1 && e[0].status === 'processed');
      expect(events[0].attempts).toBe(1);
    });
  });
});
