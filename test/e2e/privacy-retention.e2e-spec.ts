import { randomUUID } from 'node:crypto';
import { IDEMPOTENCY_STORE } from '../../src/common/idempotency/idempotency.module';
import { LEDGER_MAINTENANCE } from '../../src/modules/channels/channels.tokens';
import { PRIVACY_RETENTION } from '../../src/modules/privacy/privacy.tokens';
import { connectTelegram } from '../utils/channels';
import { sql } from '../utils/db';
import { Account, signup, uniqueEmail } from '../utils/factories';
import { ws } from '../utils/privacy';
import { startApp, TestApp } from '../utils/test-app';

const DAY_MS = 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

describe('privacy: retention sweeps, exact to the day', () => {
  let t: TestApp;
  let owner: Account;
  const now = new Date();
  const today = now.toISOString().slice(0, 10);
  const retention = () => t.app.get<{ run(now: Date): Promise<Record<string, number>> }>(PRIVACY_RETENTION);

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  it('raw webhooks: kept 90 days (89 and 90 stay, 91 goes)', async () => {
    const channel = await connectTelegram(t, owner);
    const rows = [89, 90, 91].map((age) => ({ age, id: randomUUID(), at: new Date(now.getTime() - age * DAY_MS) }));
    await sql('select ensure_webhook_event_partitions($1::date, $2)', [rows[2].at.toISOString().slice(0, 10), 5]);
    for (const r of rows) {
      await sql("insert into webhook_events (id, workspace_id, channel_id, kind, received_at, dedupe_keys, raw_body, status) values ($1, $2, $3, 'default', $4, '{}', '{}', 'processed')", [r.id, owner.workspaceId, channel.id, r.at]);
    }
    await t.app.get<{ retention(now: Date): Promise<unknown> }>(LEDGER_MAINTENANCE).retention(now);
    const left = (await sql<{ id: string }>('select id from webhook_events where id = any($1::uuid[])', [rows.map((r) => r.id)])).map((r) => r.id);
    expect(left.sort()).toEqual([rows[0].id, rows[1].id].sort());
  });

  it('identifiable usage: kept 12 months (11 and 12 stay, 12 months and a day or 13 go); daily aggregates stay', async () => {
    const user = owner.userId;
    const monthsAgo = async (months: number, extraDays = 0) => (await sql<{ d: string }>(`select to_char(($1::date - make_interval(months => $2) - make_interval(days => $3))::date, 'YYYY-MM-DD') as d`, [today, months, extraDays]))[0].d;
    const ages: [number, number][] = [[11, 0], [12, 0], [12, 1], [13, 0]];
    const dates = await Promise.all(ages.map(([m, d]) => monthsAgo(m, d)));
    for (const date of dates) {
      await sql('insert into usage_member_days (workspace_id, date, user_id, api_calls) values ($1, $2, $3, 1)', [owner.workspaceId, date, user]);
      await sql("insert into usage_events (id, workspace_id, actor_type, actor_id, name, properties, created_at) values ($1, $2, 'user', $3, 'page_view', null, ($4::date + time '12:00') at time zone 'UTC')", [randomUUID(), owner.workspaceId, user, date]);
      await sql("insert into usage_daily (workspace_id, date, metric, dimension, value) values ($1, $2, 'active_members', '', 1)", [owner.workspaceId, date]);
    }
    const counts = await retention().run(now);
    expect(counts).toMatchObject({ usage_member_days: 2, usage_events: 2 });
    const memberDays = (await sql<{ d: string }>("select to_char(date, 'YYYY-MM-DD') as d from usage_member_days where workspace_id = $1 order by date", [owner.workspaceId])).map((r) => r.d);
    expect(memberDays).toEqual([dates[1], dates[0]]);
    expect(await sql('select count(*)::int as n from usage_events where workspace_id = $1', [owner.workspaceId])).toEqual([{ n: 2 }]);
    expect(await sql("select count(*)::int as n from usage_daily where workspace_id = $1 and metric = 'active_members'", [owner.workspaceId])).toEqual([{ n: 4 }]);
    const res = await t.http().get(ws(owner, '/usage')).query({ from: dates[3], to: dates[3] }).set(owner.auth).expect(200);
    expect(res.body.data[0].activeMembers).toBe(1);
  });

  it('expired invitations (with their pending membership), expired refresh tokens and expired exports go; live ones stay', async () => {
    const invite = async () => (await t.http().post(ws(owner, '/members')).set(owner.auth).send({ email: uniqueEmail('invitee'), role: 'viewer' }).expect(201)).body;
    const [expired, live] = [await invite(), await invite()];
    await sql("update invitations set expires_at = $2::timestamptz - interval '1 second' where membership_id = $1", [expired.id, now]);
    await sql("update refresh_tokens set expires_at = $2::timestamptz - interval '1 second' where user_id = $1", [owner.userId, now]);
    const other = await signup(t, 'fresh');
    const exportId = randomUUID();
    await sql("insert into exports (id, workspace_id, status, storage_key, requested_by_type, requested_by_id, expires_at, created_at, updated_at) values ($1, $2, 'completed', $3, 'user', $4, $5::timestamptz - interval '1 second', now(), now())", [
      exportId, owner.workspaceId, `${owner.workspaceId}/exports/${exportId}.tar.gz`, owner.userId, now,
    ]);

    const counts = await retention().run(now);
    expect(counts).toMatchObject({ invitations: 1, exports: 1 });
    expect(counts.refresh_tokens).toBeGreaterThanOrEqual(1);
    expect(await sql('select id from memberships where id = any($1::uuid[])', [[expired.id, live.id]])).toEqual([{ id: live.id }]);
    expect(await sql('select count(*)::int as n from refresh_tokens where user_id = $1', [owner.userId])).toEqual([{ n: 0 }]);
    expect((await sql<{ n: number }>('select count(*)::int as n from refresh_tokens where user_id = $1', [other.userId]))[0].n).toBeGreaterThan(0);
    expect(await sql('select status, storage_key from exports where id = $1', [exportId])).toEqual([{ status: 'expired', storage_key: null }]);
  });

  it('Idempotency-Key answers: kept 24 h (23 h stays, 25 h goes)', async () => {
    const scope = `user:${owner.userId}|POST /x|{"wid":"${owner.workspaceId}"}`;
    for (const [key, age] of [['young', 23], ['old', 25]] as const) {
      await sql("insert into idempotency_keys (scope, key, fingerprint, state, created_at, expires_at) values ($1, $2, 'f', 'done', $3, $3::timestamptz + interval '24 hours')", [scope, key, new Date(Date.now() - age * HOUR_MS)]);
    }
    await t.app.get<{ purgeExpired(): Promise<number> }>(IDEMPOTENCY_STORE).purgeExpired();
    expect(await sql('select key from idempotency_keys where scope = $1', [scope])).toEqual([{ key: 'young' }]);
  });

  it('exports each sweep\'s counts in /metrics', async () => {
    await retention().run(now);
    const metrics = (await t.http().get('/metrics').expect(200)).text;
    for (const sweep of ['usage_member_days', 'usage_events', 'invitations', 'refresh_tokens', 'exports', 'access_documents', 'ledger_rows', 'ledger_partitions']) {
      expect(metrics).toMatch(new RegExp(`retention_removed_total\\{sweep="${sweep}"\\} \\d+`));
      expect(metrics).toMatch(new RegExp(`retention_last_run_timestamp_seconds\\{sweep="${sweep}"\\} \\d+`));
    }
  });
});
