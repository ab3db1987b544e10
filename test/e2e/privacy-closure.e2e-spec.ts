import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { USAGE_BUFFER } from '../../src/modules/usage/usage.tokens';
import { WORKSPACE_PURGE } from '../../src/modules/privacy/privacy.tokens';
import { sql } from '../utils/db';
import { Account, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { connectAll, createPerson, emailFrom, newPerson, settledRequest, telegramFrom, whatsappFrom, ws } from '../utils/privacy';
import { startApp, TestApp } from '../utils/test-app';

const DAY_MS = 24 * 3600 * 1000;

/** Rows of any table whose uuid, text, varchar or jsonb (or array) column holds the value: "table.column". */
async function rowsMentioning(value: string): Promise<string[]> {
  const db = new Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows: columns } = await db.query<{ table_name: string; column_name: string }>(`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema and t.table_type = 'BASE TABLE'
      where c.table_schema = 'public' and (c.data_type in ('uuid', 'text', 'character varying', 'jsonb', 'json') or c.data_type = 'ARRAY')
      order by 1, 2`);
    const hits: string[] = [];
    for (const { table_name, column_name } of columns) {
      const { rows } = await db.query(`select 1 from "${table_name}" where "${column_name}"::text ilike $1 limit 1`, [`%${value}%`]);
      if (rows.length) hits.push(`${table_name}.${column_name}`);
    }
    return hits;
  } finally {
    await db.end();
  }
}

/** A workspace with something in every module: channels, people on all channels with files, members, invitations, requests, exports, usage. */
async function populated(t: TestApp, tag: string): Promise<{ owner: Account; channelIds: string[] }> {
  const owner = await signup(t, tag);
  const ch = await connectAll(t, owner);
  const person = newPerson(tag);
  const contactId = await createPerson(t, owner, person);
  await whatsappFrom(t, owner, ch, [{ person, text: 'hello' }]);
  await telegramFrom(t, owner, ch, person, 'hello');
  await emailFrom(t, owner, ch, person, 'file');
  await memberWithRole(t, owner, 'agent');
  await t.http().post(ws(owner, '/members')).set(owner.auth).send({ email: uniqueEmail('invitee'), role: 'viewer' }).expect(201);
  await t.http().post(ws(owner, '/contacts')).set(owner.auth).set('Idempotency-Key', `k-${tag}`).send({ name: 'Keyed', identifiers: [{ kind: 'email', value: uniqueEmail('keyed') }] }).expect(201);
  const access = await t.http().post(ws(owner, '/privacy-requests')).set(owner.auth).send({ type: 'access', contactId }).expect(202);
  await settledRequest(t, owner, access.body.id);
  await t.http().post(ws(owner, '/exports')).set(owner.auth).expect(202);
  await t.http().post(ws(owner, '/usage/events')).set(owner.auth).send({ name: 'page_view' }).expect(202);
  await t.app.get<{ flush(): Promise<void> }>(USAGE_BUFFER).flush();
  return { owner, channelIds: [ch.whatsapp.id, ch.email.id, ch.telegram.id] };
}

describe('privacy: workspace closure', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const purge = (now: Date) => t.app.get<{ purgeDue(now: Date): Promise<string[]> }>(WORKSPACE_PURGE).purgeDue(now);

  it('30 days after closure the job deletes the workspace and everything in it, files included; nothing earlier, nothing of others', async () => {
    const closed = await populated(t, 'closed');
    const kept = await populated(t, 'kept');
    const files = join(process.env.STORAGE_DIR!, closed.owner.workspaceId);
    // Wait for the export job, so its archive is among the files that must go.
    for (let i = 0; i < 100 && (await sql("select 1 from exports where workspace_id = $1 and status = 'completed'", [closed.owner.workspaceId])).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(join(files, 'exports'))).toBe(true);
    expect(existsSync(join(files, 'media'))).toBe(true);
    expect((await rowsMentioning(closed.owner.workspaceId)).length).toBeGreaterThan(15);

    const res = await t.http().delete(`/v1/workspaces/${closed.owner.workspaceId}`).set(closed.owner.auth).expect(202);
    const due = Date.parse(res.body.deletionDueAt);

    // Other suites share this database and close workspaces of their own: judge only this one.
    expect(await purge(new Date(due - DAY_MS))).not.toContain(closed.owner.workspaceId);
    expect(await sql('select status from workspaces where id = $1', [closed.owner.workspaceId])).toEqual([{ status: 'closing' }]);

    expect(await purge(new Date(due + DAY_MS))).toContain(closed.owner.workspaceId);
    expect(await rowsMentioning(closed.owner.workspaceId)).toEqual([]);
    const dedupe = await sql('select count(*)::int as n from webhook_dedupe where channel_id = any($1::uuid[])', [closed.channelIds]);
    expect(dedupe).toEqual([{ n: 0 }]);
    expect(existsSync(files)).toBe(false);
    await t.http().get(`/v1/workspaces/${closed.owner.workspaceId}`).set(closed.owner.auth).expect(404);
    // The person who owned it still exists and can sign in; the other workspace is untouched.
    await t.http().get('/v1/me').set(closed.owner.auth).expect(200);
    expect((await rowsMentioning(kept.owner.workspaceId)).length).toBeGreaterThan(15);
    expect(existsSync(join(process.env.STORAGE_DIR!, kept.owner.workspaceId, 'media'))).toBe(true);
    expect((await sql('select count(*)::int as n from webhook_dedupe where channel_id = any($1::uuid[])', [kept.channelIds]))[0].n).toBeGreaterThan(0);
  }, 90_000);

  it('registers the purge and retention as repeatable jobs on the maintenance queue (one run per cluster)', async () => {
    const queue = t.app.get<{ getRepeatableJobs(): Promise<{ name: string; cron: string }[]> }>('BullQueue_maintenance');
    let names: string[] = [];
    for (let i = 0; i < 50 && !(names.includes('workspaces.purge-closed') && names.includes('privacy.retention')); i++) {
      names = (await queue.getRepeatableJobs()).map((j) => j.name);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(names).toEqual(expect.arrayContaining(['workspaces.purge-closed', 'privacy.retention', 'ledger.retention', 'idempotency.purge']));
  });
});
