import { USAGE_BUFFER } from '../../src/modules/usage/usage.tokens';
import { sql } from '../utils/db';
import { Account, memberWithRole, signup } from '../utils/factories';
import { settledMessage } from '../utils/outbound';
import { Channels, connectAll, createPerson, emailFrom, newPerson, telegramFrom, whatsappFrom, ws } from '../utils/privacy';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

describe('usage', () => {
  let t: TestApp;
  let owner: Account;
  let ch: Channels;
  const flush = () => t.app.get<{ flush(): Promise<void> }>(USAGE_BUFFER).flush();
  const today = () => new Date().toISOString().slice(0, 10);

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    ch = await connectAll(t, owner);
  });
  afterAll(() => t.close());

  it('counts messages per channel type, delivery failures, API calls and active members per day, as API.md shows them', async () => {
    const person = newPerson('usage');
    const contactId = await createPerson(t, owner, person);
    await telegramFrom(t, owner, ch, person, 'one');
    await telegramFrom(t, owner, ch, person, 'two');
    await whatsappFrom(t, owner, ch, [{ person, text: 'three' }]);
    await emailFrom(t, owner, ch, person, 'four');
    const conversation = (await t.http().get(ws(owner, '/conversations')).query({ contactId }).set(owner.auth).expect(200)).body.data[0];
    const sent = await t.http().post(ws(owner, `/conversations/${conversation.id}/messages`)).set(owner.auth).send({ channelId: ch.telegram.id, text: 'answer' }).expect(202);
    await settledMessage(t, owner, sent.body.id, 'sent');
    // The bot was blocked: a permanent failure.
    await t.http().post('/sandbox/faults').send({ provider: 'telegram', status: 403, times: 1, match: 'sendMessage' }).expect(201);
    const failed = await t.http().post(ws(owner, `/conversations/${conversation.id}/messages`)).set(owner.auth).send({ channelId: ch.telegram.id, text: 'lost' }).expect(202);
    await settledMessage(t, owner, failed.body.id, 'failed');

    const agent = await memberWithRole(t, owner, 'agent');
    for (let i = 0; i < 3; i++) await t.http().get(ws(owner, '/conversations')).set(agent.auth).expect(200);
    await flush();
    const [apiCallsBefore] = await sql<{ value: string }>("select value from usage_daily where workspace_id = $1 and metric = 'api_calls' and date = $2::date", [owner.workspaceId, today()]);

    const res = await t.http().get(ws(owner, '/usage')).query({ from: today(), to: today() }).set(owner.auth).expect(200);
    expect(res.body.data).toEqual([
      {
        date: today(),
        messagesIn: { email: 1, whatsapp: 1, telegram: 2 },
        messagesOut: { email: 0, whatsapp: 0, telegram: 1 },
        deliveryFailures: 1,
        aiRequests: 0,
        aiDrafts: { approvedUnedited: 0, approvedEdited: 0, discarded: 0 },
        apiCalls: expect.any(Number),
        activeMembers: 2,
      },
    ]);
    // A periodic flush may land between the two reads; the answer never shows less than was written.
    expect(res.body.data[0].apiCalls).toBeGreaterThanOrEqual(Number(apiCallsBefore.value));
    expect(Number(apiCallsBefore.value)).toBeGreaterThanOrEqual(10);
    // Counters are aggregated rows, one per (day, metric, dimension), never a row per request.
    const [{ n }] = await sql<{ n: number }>("select count(*)::int as n from usage_daily where workspace_id = $1 and metric = 'api_calls'", [owner.workspaceId]);
    expect(n).toBe(1);
    expect(await sql('select user_id, api_calls from usage_member_days where workspace_id = $1 and user_id = $2', [owner.workspaceId, agent.userId])).toEqual([{ user_id: agent.userId, api_calls: 3 }]);
  });

  it('answers every day of the range, zeros included, and validates the range', async () => {
    const res = await t.http().get(ws(owner, '/usage')).query({ from: '2026-01-30', to: '2026-02-02' }).set(owner.auth).expect(200);
    expect(res.body.data.map((d: { date: string }) => d.date)).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
    expect(res.body.data[0]).toMatchObject({ apiCalls: 0, activeMembers: 0, messagesIn: { email: 0, whatsapp: 0, telegram: 0 } });
    expectProblem(await t.http().get(ws(owner, '/usage')).query({ from: '2026-02-03', to: '2026-02-02' }).set(owner.auth), 400, 'validation_failed');
    expectProblem(await t.http().get(ws(owner, '/usage')).query({ from: '2026-02-30' }).set(owner.auth), 400, 'validation_failed');
    expectProblem(await t.http().get(ws(owner, '/usage')).query({ from: 'yesterday' }).set(owner.auth), 400, 'validation_failed');
    expectProblem(await t.http().get(ws(owner, '/usage')).query({ from: '2024-01-01', to: '2026-01-01' }).set(owner.auth), 400, 'validation_failed');
    const viewer = await memberWithRole(t, owner, 'viewer');
    await t.http().get(ws(owner, '/usage')).set(viewer.auth).expect(200);
  });

  it('accepts client events with a valid name and bounded properties, and writes them in a batch', async () => {
    const ok = await t.http().post(ws(owner, '/usage/events')).set(owner.auth).send({ name: 'page_view', properties: { page: 'inbox', ms: 1200, beta: true, ref: null } }).expect(202);
    expect(ok.body).toMatchObject({ name: 'page_view', acceptedAt: expect.any(String) });
    await t.http().post(ws(owner, '/usage/events')).set(owner.auth).send({ name: 'feature.used' }).expect(202);
    const bad = [
      { name: 'Page View' },
      { name: '' },
      { name: 'x'.repeat(65) },
      { name: 'ok', properties: { nested: { a: 1 } } },
      { name: 'ok', properties: { list: [1] } },
      { name: 'ok', properties: { long: 'x'.repeat(257) } },
      { name: 'ok', properties: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
      { name: 'ok', properties: { 'bad key': 1 } },
      { name: 'ok', extra: 1 },
    ];
    for (const body of bad) expectProblem(await t.http().post(ws(owner, '/usage/events')).set(owner.auth).send(body), 400, 'validation_failed');
    await flush();
    const rows = await sql<{ name: string; properties: unknown; actor_id: string }>('select name, properties, actor_id from usage_events where workspace_id = $1 order by created_at', [owner.workspaceId]);
    expect(rows).toEqual([
      { name: 'page_view', properties: { page: 'inbox', ms: 1200, beta: true, ref: null }, actor_id: owner.userId },
      { name: 'feature.used', properties: null, actor_id: owner.userId },
    ]);
  });
});
