import { randomInt, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { IDEMPOTENCY_STORE } from '../../src/common/idempotency/idempotency.module';
import { connectWhatsapp } from '../utils/channels';
import { allMessages, contactWith, conversationOf, sandboxInbound } from '../utils/conversations';
import { Account, signup, uniqueEmail } from '../utils/factories';
import { expectProblem } from '../utils/workspace-fixtures';
import { startApp, TestApp } from '../utils/test-app';

describe('Idempotency-Key on creating POSTs', () => {
  let t: TestApp;
  let owner: Account;
  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  const createKey = (key: string, body: Record<string, unknown>) =>
    t.http().post(`/v1/workspaces/${owner.workspaceId}/api-keys`).set(owner.auth).set('Idempotency-Key', key).send(body);

  it('replays the first answer exactly for the same key and body, without a second effect', async () => {
    const key = `k-${Date.now()}`;
    const first = await createKey(key, { name: 'crm', role: 'agent' }).expect(201);
    const again = await createKey(key, { role: 'agent', name: 'crm' }).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const keys = await t.http().get(`/v1/workspaces/${owner.workspaceId}/api-keys`).set(owner.auth).expect(200);
    expect(keys.body.data.filter((k: { id: string }) => k.id === first.body.id)).toHaveLength(1);
    expect(keys.body.data.filter((k: { name: string }) => k.name === 'crm')).toHaveLength(1);
  });

  it('answers 422 idempotency_key_reused for the same key with a different body', async () => {
    const key = `k2-${Date.now()}`;
    await createKey(key, { name: 'one', role: 'agent' }).expect(201);
    const res = await createKey(key, { name: 'two', role: 'agent' }).expect(422);
    expect(res.body.code).toBe('idempotency_key_reused');
  });

  it('runs 10 concurrent identical first uses once', async () => {
    const key = `k3-${Date.now()}`;
    const email = uniqueEmail('concurrent');
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => t.http().post(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).set('Idempotency-Key', key).send({ email, role: 'agent' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const members = await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).expect(200);
    expect(members.body.data.filter((m: { email: string }) => m.email === email)).toHaveLength(1);
    const audit = await t.http().get(`/v1/workspaces/${owner.workspaceId}/audit-events?action=member.invited`).set(owner.auth).expect(200);
    expect(audit.body.data.filter((e: { subjectId: string }) => e.subjectId === answers[0].body.id)).toHaveLength(1);
  });

  it('lets a failed first attempt be retried with the same key', async () => {
    const key = `k4-${Date.now()}`;
    await createKey(key, { name: 'bad', role: 'no-such-role' }).expect(400);
    await createKey(key, { name: 'bad', role: 'no-such-role' }).expect(400);
    await createKey(`${key}-ok`, { name: 'good', role: 'agent' }).expect(201);
  });

  it('scopes keys to the caller: another person reusing the key executes their own request', async () => {
    const other = await signup(t, 'other');
    const key = `shared-${Date.now()}`;
    const a = await createKey(key, { name: 'x', role: 'agent' }).expect(201);
    const b = await t.http().post(`/v1/workspaces/${other.workspaceId}/api-keys`).set(other.auth).set('Idempotency-Key', key).send({ name: 'x', role: 'agent' }).expect(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('rejects a malformed key with 400', async () => {
    const res = await createKey('x'.repeat(300), { name: 'y', role: 'agent' }).expect(400);
    expect(res.body.errors[0].field).toBe('Idempotency-Key');
  });

  it('purges keys older than 24 h and keeps live ones', async () => {
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const scope = `purge-test-${Date.now()}`;
      await db.query(
        "insert into idempotency_keys (scope, key, fingerprint, state, expires_at) values ($1, 'old', 'f', 'done', now() - interval '1 minute'), ($1, 'live', 'f', 'done', now() + interval '1 hour')",
        [scope],
      );
      expect(await t.app.get(IDEMPOTENCY_STORE).purgeExpired()).toBeGreaterThanOrEqual(1);
      const left = await db.query('select key from idempotency_keys where scope = $1', [scope]);
      expect(left.rows).toEqual([{ key: 'live' }]);
    } finally {
      await db.end();
    }
  });

  it('message sends (conversation and business-initiated): a replay answers the first status and whole body, another body → 422', async () => {
    const wa = await connectWhatsapp(t, owner);
    const waId = `49153${randomInt(10_000_000, 99_999_999)}`;
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'Any news?' });
    const contact = await contactWith(t, owner, waId);
    const conversation = await conversationOf(t, owner, contact.id);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const sends = [
      { path: `${ws}/conversations/${conversation.id}/messages`, body: { text: 'In the conversation' }, other: { text: 'Something else' } },
      { path: `${ws}/messages`, body: { contactId: contact.id, channelId: wa.id, text: 'Business-initiated' }, other: { contactId: contact.id, channelId: wa.id, text: 'Changed' } },
    ];
    for (const { path, body, other } of sends) {
      const key = randomUUID();
      const post = (b: Record<string, unknown>) => t.http().post(path).set(owner.auth).set('Idempotency-Key', key).send(b);
      const first = await post(body).expect(202);
      expect(first.body.status).toBe('queued');
      // The message moves on; the replay is still the first answer, not the message as it is now.
      for (let i = 0; i < 100; i++) {
        const now = await t.http().get(`${ws}/messages/${first.body.id}`).set(owner.auth).expect(200);
        if (now.body.status === 'sent') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const replay = await post(body).expect(202);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expectProblem(await post(other), 422, 'idempotency_key_reused');
    }
    const outbound = (await allMessages(t, owner, conversation.id)).filter((m) => m.direction === 'outbound');
    expect(outbound.map((m) => [m.text, m.status])).toEqual([
      ['In the conversation', 'sent'],
      ['Business-initiated', 'sent'],
    ]);
  });
});
