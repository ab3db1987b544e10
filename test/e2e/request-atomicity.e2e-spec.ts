import { randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { connectTelegram } from '../utils/channels';
import { allMessages, contactWith, conversationOf, sandboxInbound } from '../utils/conversations';
import { sql } from '../utils/db';
import { Account, signup } from '../utils/factories';
import { sandboxRequests, settledMessage } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';

type Json = Record<string, any>;

/**
 * Issue 16, defects 1 and 2: a change, its audit entry and its Idempotency-Key answer commit in one
 * transaction or not at all, and a key claimed by a process that died is free again at once.
 */
describe('one unit of work per request: change, audit entry and idempotency record', () => {
  let t: TestApp;
  let owner: Account;
  let conversationId: string;
  let contactId: string;
  let chatId: string;
  const ws = () => `/v1/workspaces/${owner.workspaceId}`;
  const send = (key: string, text: string) => t.http().post(`${ws()}/conversations/${conversationId}/messages`).set(owner.auth).set('Idempotency-Key', key).send({ text });
  const sendsOf = async (text: string) => (await sandboxRequests(t, 'telegram')).filter((r) => r.path.endsWith('/sendMessage') && r.body?.text === text);
  const outboundTexts = async () => (await allMessages(t, owner, conversationId)).filter((m: Json) => m.direction === 'outbound').map((m: Json) => m.text);
  /** The scope the app stored for a keyed send of this caller (learned from one real send). */
  let sendScope: string;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    const tg = await connectTelegram(t, owner);
    chatId = String(randomInt(100_000_000, 999_999_999));
    await sandboxInbound(t, owner, tg.id, { from: chatId, text: 'Hello' });
    contactId = (await contactWith(t, owner, chatId)).id;
    conversationId = (await conversationOf(t, owner, contactId)).id;
    const key = randomUUID();
    await settledMessage(t, owner, (await send(key, 'scope probe').expect(202)).body.id, 'sent');
    [{ scope: sendScope }] = await sql<{ scope: string }>('select scope from idempotency_keys where key = $1', [key]);
    // Fails every audit insert that carries the marker, as the lone surrogate of defect 2 did.
    await sql(`create or replace function test_fail_marked_audit() returns trigger language plpgsql as $$
      begin if new.changes::text like '%audit-boom%' then raise exception 'audit insert refused by the test'; end if; return new; end $$`);
    await sql('create trigger test_fail_marked_audit before insert on audit_events for each row execute function test_fail_marked_audit()');
  });
  afterAll(async () => {
    await sql('drop trigger if exists test_fail_marked_audit on audit_events');
    await t.close();
  });

  it('a claim a killed process left behind does not block the key: the retry sends, exactly once', async () => {
    const key = randomUUID();
    // What a process killed mid-request left when claims were committed before the work.
    await sql("insert into idempotency_keys (scope, key, fingerprint, state, expires_at) values ($1, $2, 'dead', 'running', now() + interval '24 hours')", [sendScope, key]);
    const res = await send(key, 'after the crash').expect(202);
    await settledMessage(t, owner, res.body.id, 'sent');
    expect((await send(key, 'after the crash').expect(202)).headers['idempotent-replayed']).toBe('true');
    expect(await sendsOf('after the crash')).toHaveLength(1);
  });

  it('a claim held by a process that dies mid-request is released with its connection; the waiting retry then runs once', async () => {
    const key = randomUUID();
    const dying = new Client({ connectionString: process.env.DATABASE_URL });
    await dying.connect();
    // Exactly what the app holds while it works on a keyed request: the key's transaction lock.
    await dying.query('begin');
    await dying.query("select pg_advisory_xact_lock(hashtextextended($1 || '|' || $2, 0))", [sendScope, key]);
    const [{ pid }] = (await dying.query<{ pid: number }>('select pg_backend_pid() as pid')).rows;
    dying.on('error', () => undefined);
    const retry = send(key, 'retried while the first one died').then((r) => r);
    await new Promise((r) => setTimeout(r, 300));
    // The kernel closes a SIGKILLed process's socket; PostgreSQL then ends its backend and transaction.
    await sql('select pg_terminate_backend($1)', [pid]);
    const res = await retry;
    expect(res.status).toBe(202);
    await settledMessage(t, owner, res.body.id, 'sent');
    expect(await sendsOf('retried while the first one died')).toHaveLength(1);
  });

  it('PATCH contact whose audit entry fails: 5xx problem and the name is unchanged', async () => {
    const before = (await t.http().get(`${ws()}/contacts/${contactId}`).set(owner.auth).expect(200)).body;
    const res = await t.http().patch(`${ws()}/contacts/${contactId}`).set(owner.auth).send({ name: 'audit-boom Name' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const after = (await t.http().get(`${ws()}/contacts/${contactId}`).set(owner.auth).expect(200)).body;
    expect(after.name).toBe(before.name);
  });

  it('POST api-keys whose audit entry fails: 5xx problem and no key exists', async () => {
    const res = await t.http().post(`${ws()}/api-keys`).set(owner.auth).send({ name: 'audit-boom key', role: 'agent' });
    expect(res.status).toBeGreaterThanOrEqual(500);
    const keys = (await t.http().get(`${ws()}/api-keys`).set(owner.auth).expect(200)).body.data;
    expect(keys.filter((k: Json) => k.name === 'audit-boom key')).toHaveLength(0);
  });

  it('a keyed send whose audit entry fails twice leaves no message; the retry after the fault sends exactly once', async () => {
    const key = randomUUID();
    const text = 'audit-boom send';
    expect((await send(key, text)).status).toBeGreaterThanOrEqual(500);
    expect((await send(key, text)).status).toBeGreaterThanOrEqual(500);
    expect(await outboundTexts()).not.toContain(text);
    await sql('drop trigger test_fail_marked_audit on audit_events');
    const res = await send(key, text).expect(202);
    await settledMessage(t, owner, res.body.id, 'sent');
    expect((await outboundTexts()).filter((x) => x === text)).toHaveLength(1);
    expect(await sendsOf(text)).toHaveLength(1);
    const audit = (await t.http().get(`${ws()}/audit-events?action=message.sent`).set(owner.auth).expect(200)).body.data;
    expect(audit.filter((e: Json) => e.subjectId === res.body.id)).toHaveLength(1);
  });
});
