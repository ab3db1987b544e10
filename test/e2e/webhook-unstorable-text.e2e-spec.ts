import { randomUUID } from 'node:crypto';
import { postmarkInbound } from '../../src/modules/channels/adapters/postmark/fixtures';
import { tgTextUpdate } from '../../src/modules/channels/adapters/telegram/fixtures';
import { waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { LEDGER_MAINTENANCE } from '../../src/modules/channels/channels.tokens';
import { connectEmail, connectTelegram, connectWhatsapp, postPostmark, postTelegram, postWhatsapp, waitForLedger } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

type Json = Record<string, any>;

/**
 * Issue 16, defect 4: a signed webhook whose JSON text carries `\u0000` (or a lone surrogate) was
 * acknowledged and then lost, and swept again forever. Now the ledger keeps the raw body as it came,
 * the parsed text is stored with U+FFFD in place of what PostgreSQL cannot hold, and the sweeper's
 * re-queueing ends in `failed` after WEBHOOK_MAX_ATTEMPTS.
 */
describe('signed webhooks with text PostgreSQL cannot store', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  const processedRow = async (channelId: string) => {
    const [event] = await waitForLedger(t, owner, channelId, (events) => events.length > 0 && events.every((e) => e.status !== 'pending'), 20_000);
    expect([event.status, event.reason]).toEqual(['processed', null]);
    const [row] = await sql<{ raw_body: string }>('select raw_body from webhook_events where id = $1', [event.id]);
    return { event, raw: row.raw_body };
  };
  const texts = async (channelId: string) =>
    (await sql<{ text: string }>("select text from messages where workspace_id = $1 and channel_id = $2 and direction = 'inbound'", [owner.workspaceId, channelId])).map((r) => r.text);

  it('Telegram: the message lands with U+FFFD; the raw body keeps \\u0000', async () => {
    const tg = await connectTelegram(t, owner);
    await postTelegram(t, tg.id, tgTextUpdate('a\u0000b and c\ud800d'), tg.secret).expect(200);
    const { raw } = await processedRow(tg.id);
    expect(raw).toContain('a\\u0000b');
    expect(await texts(tg.id)).toEqual(['a\uFFFDb and c\uFFFDd']);
  });

  it('WhatsApp: the message lands with U+FFFD; the raw body keeps \\u0000', async () => {
    const wa = await connectWhatsapp(t, owner);
    await postWhatsapp(t, wa.id, waInbound(waText('a\u0000b', `wamid.NUL${randomUUID()}`)), wa.appSecret).expect(200);
    const { raw } = await processedRow(wa.id);
    expect(raw).toContain('a\\u0000b');
    expect(await texts(wa.id)).toEqual(['a\uFFFDb']);
  });

  it('Postmark: the email lands with U+FFFD in subject and text; the raw body keeps \\u0000', async () => {
    const email = await connectEmail(t, owner);
    const payload = postmarkInbound({ MessageID: randomUUID(), Subject: 'Re\u0000: order', TextBody: 'a\u0000b', StrippedTextReply: 'a\u0000b' });
    await postPostmark(t, email.id, 'inbound', payload, email.authorization).expect(200);
    const { raw } = await processedRow(email.id);
    expect(raw).toContain('a\\u0000b');
    const [text] = await texts(email.id);
    expect(text).toContain('a\uFFFDb');
    expect(text).not.toContain('\u0000');
  });

  it('the sweeper does not re-queue an event forever: after WEBHOOK_MAX_ATTEMPTS it ends failed', async () => {
    const tg = await connectTelegram(t, owner);
    await postTelegram(t, tg.id, tgTextUpdate('swept'), tg.secret).expect(200);
    const { event } = await processedRow(tg.id);
    // As an event left after every attempt (the worker kept crashing on it) with its job gone.
    await sql("update webhook_events set status = 'pending', attempts = 5, processed_at = null where id = $1", [event.id]);
    const maintenance = t.app.get(LEDGER_MAINTENANCE);
    await maintenance.sweep(Math.max(0, Date.now() - new Date(event.receivedAt).getTime() - 100));
    const [row] = await sql<Json>('select status, reason from webhook_events where id = $1', [event.id]);
    expect([row.status, row.reason]).toEqual(['failed', 'gave up after 5 processing attempts']);
  });
});
