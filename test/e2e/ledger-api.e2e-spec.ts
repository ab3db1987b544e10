import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { INBOUND_CONSUMERS } from '../../src/modules/channels/channels.tokens';
import type { InboundConsumerRegistry } from '../../src/modules/channels/inbound-consumer';
import { connectWhatsapp, postWhatsapp, waitForLedger } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('webhook ledger API', () => {
  let t: TestApp;
  let owner: Account;
  let consumers: InboundConsumerRegistry;
  const events = (who: Account, channelId: string, query = '', workspaceId = who.workspaceId) =>
    t.http().get(`/v1/workspaces/${workspaceId}/channels/${channelId}/webhook-events${query}`).set(who.auth);
  const replay = (who: Account, channelId: string, eventId: string, workspaceId = who.workspaceId) =>
    t.http().post(`/v1/workspaces/${workspaceId}/channels/${channelId}/webhook-events/${eventId}/replay`).set(who.auth);
  const wamid = () => `wamid.API${randomUUID()}`;

  beforeAll(async () => {
    t = await startApp({ WEBHOOK_RETRY_BASE_MS: '20', WEBHOOK_MAX_ATTEMPTS: '2' });
    owner = await signup(t);
    consumers = t.app.get<InboundConsumerRegistry>(INBOUND_CONSUMERS);
  });
  afterAll(() => t.close());

  it('filters by ?status= (pending, processed, ignored, failed) and rejects an unknown status', async () => {
    const wa = await connectWhatsapp(t, owner);
    const failing = wamid();
    consumers.register({
      name: `fail-one-${randomUUID()}`,
      async consume(_event, parsed) {
        if (parsed.messages.some((m) => m.providerMessageId === failing)) throw new Error('consumer refused this message');
      },
    });
    const processed = await postWhatsapp(t, wa.id, waInbound(waText('fine', wamid())), wa.appSecret).expect(200);
    const ignored = await postWhatsapp(t, wa.id, '{"object": "whatsapp_business_account", "entry": [', wa.appSecret).expect(200);
    const failed = await postWhatsapp(t, wa.id, waInbound(waText('will fail', failing)), wa.appSecret).expect(200);
    await waitForLedger(t, owner, wa.id, (e) => e.length === 3 && e.every((x) => x.status !== 'pending'));
    // A row still waiting for its job (as after a Redis outage), stored directly.
    const pendingId = randomUUID();
    await sql(
      `insert into webhook_events (id, workspace_id, channel_id, kind, received_at, dedupe_keys, raw_body, status)
       values ($1, $2, $3, 'default', now(), array[$4], $5, 'pending')`,
      [pendingId, owner.workspaceId, wa.id, `wa:msg:${wamid()}`, JSON.stringify(waInbound(waText('waiting')))],
    );

    const byStatus = async (status: string) => (await events(owner, wa.id, `?status=${status}`).expect(200)).body.data as any[];
    expect((await byStatus('processed')).map((e) => e.id)).toEqual([processed.body.eventId]);
    expect((await byStatus('ignored')).map((e) => e.id)).toEqual([ignored.body.eventId]);
    expect((await byStatus('failed')).map((e) => [e.id, e.reason])).toEqual([[failed.body.eventId, expect.stringContaining('consumer refused this message')]]);
    expect((await byStatus('pending')).map((e) => e.id)).toEqual([pendingId]);
    const all = (await events(owner, wa.id).expect(200)).body;
    expect(all.data).toHaveLength(4);
    expect(all.nextCursor).toBeNull();
    expect(all.data[0]).toMatchObject({ id: expect.any(String), channelId: wa.id, kind: 'default', receivedAt: expect.any(String), status: expect.any(String), payload: expect.anything() });

    const bad = await events(owner, wa.id, '?status=done').expect(400);
    expect(bad.body.code).toBe('validation_failed');
    await events(owner, wa.id, '?limit=0').expect(400);
    await events(owner, wa.id, '?limit=201').expect(400);
  });

  it('pages with limit=2 by keyset, stable while new events arrive (no duplicates, no gaps)', async () => {
    const wa = await connectWhatsapp(t, owner);
    const first: string[] = [];
    for (let i = 0; i < 5; i++) first.push((await postWhatsapp(t, wa.id, waInbound(waText(`first ${i}`, wamid())), wa.appSecret).expect(200)).body.eventId);
    await waitForLedger(t, owner, wa.id, (e) => e.length === 5);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    let arrived = 0;
    do {
      const res: Response = await events(owner, wa.id, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.data.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
      pages++;
      // New deliveries land between page requests; they are newer than every cursor, so they never shift a page.
      for (let i = 0; i < 2; i++) {
        await postWhatsapp(t, wa.id, waInbound(waText(`arrived ${arrived++}`, wamid())), wa.appSecret).expect(200);
      }
    } while (cursor && pages < 10);

    expect(pages).toBe(3);
    expect(seen).toEqual([...first].reverse());
    expect(new Set(seen).size).toBe(seen.length);

    // A fresh walk sees everything, newest first, each once.
    const everything = await waitForLedger(t, owner, wa.id, (e) => e.length === 5 + arrived);
    const walk: string[] = [];
    cursor = null;
    do {
      const res: Response = await events(owner, wa.id, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
      walk.push(...res.body.data.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(walk).toEqual(everything.map((e) => e.id));
    expect([...walk].sort().reverse()).toEqual(walk);
  });

  it('answers 400 validation_failed for malformed cursors', async () => {
    const wa = await connectWhatsapp(t, owner);
    for (const cursor of ['not a cursor!', 'e30', cursorOf({ id: 'not-a-uuid' }), cursorOf({ id: 42 }), cursorOf(['x']), 'x'.repeat(600)]) {
      const res = await events(owner, wa.id, `?cursor=${encodeURIComponent(cursor)}`);
      expect([cursor, res.status]).toEqual([cursor, 400]);
      expect(res.body.code).toBe('validation_failed');
    }
  });

  it("answers 404 for another workspace's channel and for unknown channels", async () => {
    const wa = await connectWhatsapp(t, owner);
    const stranger = await signup(t, 'stranger');
    const theirs = await connectWhatsapp(t, stranger);
    // Their channel id under my workspace, and my workspace's path for someone who is not a member.
    await events(owner, theirs.id).expect(404);
    await events(stranger, wa.id).expect(404);
    await events(stranger, wa.id, '', owner.workspaceId).expect(404);
    await events(owner, randomUUID()).expect(404);
    await events(owner, 'not-a-uuid').expect(404);
    const res = await postWhatsapp(t, theirs.id, waInbound(waText('theirs', wamid())), theirs.appSecret).expect(200);
    await replay(owner, theirs.id, res.body.eventId).expect(404);
    // Their event id through my own channel.
    await replay(owner, wa.id, res.body.eventId).expect(404);
  });

  it('replays a processed event: 202, processed again, no second row or key, same result', async () => {
    const wa = await connectWhatsapp(t, owner);
    const calls: string[] = [];
    consumers.register({
      name: `replay-count-${randomUUID()}`,
      async consume(event) {
        if (event.channelId === wa.id) calls.push(event.eventId);
      },
    });
    const id = wamid();
    const posted = await postWhatsapp(t, wa.id, waInbound(waText('replay me', id)), wa.appSecret).expect(200);
    const [before] = await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed');
    expect(before.attempts).toBe(1);

    const res = await replay(owner, wa.id, posted.body.eventId).expect(202);
    expect(res.body).toMatchObject({ id: posted.body.eventId, status: 'pending' });
    // A replay starts a fresh attempt budget (the sweeper's bound counts from it).
    const [after] = await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed' && calls.length === 2);
    expect(after).toMatchObject({ id: posted.body.eventId, status: 'processed', reason: null, attempts: 1, payload: before.payload });
    expect(after.result).toEqual(before.result);
    expect(after.result.counts).toMatchObject({ messages: 1 });

    // The consumers saw the same event id again (they are idempotent by provider id); nothing else was created.
    expect(calls).toEqual([posted.body.eventId, posted.body.eventId]);
    expect(await sql('select id from webhook_events where channel_id = $1', [wa.id])).toHaveLength(1);
    expect(await sql('select key from webhook_dedupe where channel_id = $1', [wa.id])).toEqual([{ key: `wa:msg:${id}` }]);
    // The provider redelivering it afterwards is still a duplicate.
    expect((await postWhatsapp(t, wa.id, waInbound(waText('replay me', id)), wa.appSecret).expect(200)).body.duplicate).toBe(true);
  });

  it('replays a failed event once the cause is gone', async () => {
    const wa = await connectWhatsapp(t, owner);
    let broken = true;
    consumers.register({
      name: `flaky-${randomUUID()}`,
      async consume(event) {
        if (event.channelId === wa.id && broken) throw new Error('temporarily broken');
      },
    });
    const posted = await postWhatsapp(t, wa.id, waInbound(waText('try again later', wamid())), wa.appSecret).expect(200);
    await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'failed');
    broken = false;
    await replay(owner, wa.id, posted.body.eventId).expect(202);
    const [event] = await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed');
    expect(event).toMatchObject({ id: posted.body.eventId, reason: null, attempts: 1 });
  });

  it('answers 404 for replaying an unknown event', async () => {
    const wa = await connectWhatsapp(t, owner);
    const res = await replay(owner, wa.id, randomUUID()).expect(404);
    expect(res.body.code).toBe('not_found');
    await replay(owner, wa.id, 'not-an-event-id').expect(404);
    await replay(owner, randomUUID(), randomUUID()).expect(404);
  });

  it('lets neither a viewer nor an agent read the ledger or replay (403)', async () => {
    const wa = await connectWhatsapp(t, owner);
    const posted = await postWhatsapp(t, wa.id, waInbound(waText('private', wamid())), wa.appSecret).expect(200);
    await waitForLedger(t, owner, wa.id, (e) => e.length === 1 && e[0].status === 'processed');
    for (const role of ['viewer', 'agent']) {
      const member = await memberWithRole(t, owner, role);
      const read = await events(member, wa.id).expect(403);
      expect(read.body.code).toBe('forbidden');
      const replayed = await replay(member, wa.id, posted.body.eventId).expect(403);
      expect(replayed.body.code).toBe('forbidden');
    }
    const admin = await memberWithRole(t, owner, 'admin');
    expect((await events(admin, wa.id).expect(200)).body.data).toHaveLength(1);
  });
});
