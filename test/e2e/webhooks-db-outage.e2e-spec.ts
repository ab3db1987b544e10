import { randomUUID } from 'node:crypto';
import { postmarkInbound } from '../../src/modules/channels/adapters/postmark/fixtures';
import { tgTextUpdate } from '../../src/modules/channels/adapters/telegram/fixtures';
import { waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { connectEmail, connectTelegram, connectWhatsapp, postPostmark, postTelegram, postWhatsapp } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { TcpGate } from '../utils/tcp-gate';
import { startApp, TestApp } from '../utils/test-app';

const expectUnavailable = (res: { status: number; headers: Record<string, string>; body: Record<string, unknown> }) => {
  expect(res.status).toBe(503);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status: 503, code: 'service_unavailable' });
};

/**
 * The app reaches PostgreSQL through a gate that is taken down after boot: every verified webhook
 * must then answer 503 (the provider retries) whether the channel lookup or the ledger INSERT is
 * the first thing to hit the dead database, and the retry after recovery is stored exactly once.
 */
describe('provider webhooks (and the API) while PostgreSQL is down', () => {
  let gate: TcpGate;
  let t: TestApp;
  let owner: Account;

  beforeAll(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    gate = await TcpGate.start({ host: db.hostname, port: Number(db.port || 5432) });
    gate.open();
    db.hostname = '127.0.0.1';
    db.port = String(gate.port);
    // API role only: no worker polling the dead database in the background.
    t = await startApp({ DATABASE_URL: db.toString(), APP_ROLE: 'api' });
    owner = await signup(t);
  });
  afterAll(async () => {
    gate.open();
    await t.close();
    await gate.close();
  });

  it('answers 503 problem+json for the ledger INSERT and the uncached channel lookup, then stores the retry once', async () => {
    const wa = await connectWhatsapp(t, owner);
    const tg = await connectTelegram(t, owner);
    const pm = await connectEmail(t, owner);
    // Puts the WhatsApp channel into the 5 s lookup cache, so its next delivery fails at the INSERT.
    await postWhatsapp(t, wa.id, waInbound(waText('before the outage', `wamid.PRE${randomUUID()}`)), wa.appSecret).expect(200);

    const waPayload = waInbound(waText('during the outage', `wamid.DOWN${randomUUID()}`));
    const tgUpdate = { ...tgTextUpdate('during the outage'), update_id: Math.floor(Math.random() * 1e9) };
    const pmPayload = postmarkInbound({ MessageID: randomUUID() });

    gate.shut();
    expectUnavailable(await postWhatsapp(t, wa.id, waPayload, wa.appSecret));
    // Telegram and Postmark were never looked up: the channel query itself meets the dead pool.
    expectUnavailable(await postTelegram(t, tg.id, tgUpdate, tg.secret));
    expectUnavailable(await postPostmark(t, pm.id, 'inbound', pmPayload, pm.authorization));
    // Meta's subscription handshake and the REST API meet the same outage: 503, never a 500.
    expectUnavailable(await t.http().get(`/v1/webhooks/whatsapp/${tg.id}`).query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'x', 'hub.challenge': '1' }));
    expectUnavailable(await t.http().get(`/v1/workspaces/${owner.workspaceId}/channels`).set(owner.auth));

    gate.open();
    for (const res of [
      await postWhatsapp(t, wa.id, waPayload, wa.appSecret),
      await postTelegram(t, tg.id, tgUpdate, tg.secret),
      await postPostmark(t, pm.id, 'inbound', pmPayload, pm.authorization),
    ]) {
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ duplicate: false, status: 'pending' });
    }
    const rows = await sql<{ channel_id: string; n: number }>(
      'select channel_id, count(*)::int as n from webhook_events where channel_id = any($1::uuid[]) group by channel_id',
      [[wa.id, tg.id, pm.id]],
    );
    expect(Object.fromEntries(rows.map((r) => [r.channel_id, r.n]))).toEqual({ [wa.id]: 2, [tg.id]: 1, [pm.id]: 1 });
  }, 30_000);
});
