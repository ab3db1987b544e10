import { sql } from '../utils/db';
import { Account, apiKey, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { ReceivedWebhook, verifySignature, WebhookReceiver } from '../utils/webhook-receiver';
import { expectProblem } from '../utils/workspace-fixtures';

const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Clock {
  advance(ms: number): void;
}

describe('webhook subscriptions: signed deliveries, retries, redelivery, rotation', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let owner: Account;
  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;

  beforeAll(async () => {
    t = await startApp({ ALLOW_PRIVATE_WEBHOOK_URLS: 'true', WEBHOOK_DELIVERY_RETRY_BASE_MS: '50' });
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });
  beforeEach(async () => {
    owner = await signup(t);
    receiver.received.length = 0;
    receiver.respond([]);
  });

  const subscribe = async (events: string[] = ['contact.created'], url = receiver.url) =>
    (await t.http().post(ws('/webhook-subscriptions')).set(owner.auth).send({ url, events }).expect(201)).body;
  const createContact = async (name = 'Jane Doe') =>
    (await t.http().post(ws('/contacts')).set(owner.auth).send({ name, identifiers: [{ kind: 'email', value: uniqueEmail('customer') }] }).expect(201)).body;
  // Deliveries of earlier tests may still be retrying into the shared receiver; each test reads its own.
  const mine = (all: ReceivedWebhook[]) => all.filter((r) => r.json?.workspaceId === owner.workspaceId);
  const received = async (predicate: (all: ReceivedWebhook[]) => boolean) => mine(await receiver.waitFor((all) => predicate(mine(all))));
  const deliveriesOf = async (subscriptionId: string) => (await t.http().get(ws(`/webhook-subscriptions/${subscriptionId}/deliveries`)).set(owner.auth).expect(200)).body.data;
  const deliveryOf = async (subscriptionId: string, id: string) => (await deliveriesOf(subscriptionId)).find((d: { id: string }) => d.id === id);
  async function settled(subscriptionId: string, id: string, status: string, timeoutMs = 10_000) {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const d = await deliveryOf(subscriptionId, id);
      if (d?.status === status) return d;
      if (Date.now() > until) throw new Error(`delivery ${id} is ${JSON.stringify(d)}, not ${status}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('creates a subscription whose secret is shown once and signs every delivery', async () => {
    const sub = await subscribe();
    expect(sub).toMatchObject({ id: expect.stringMatching(UUID), url: receiver.url, events: ['contact.created'], status: 'active', secret: expect.stringMatching(/^whsec_/) });
    const list = await t.http().get(ws('/webhook-subscriptions')).set(owner.auth).expect(200);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).not.toHaveProperty('secret');
    expect(JSON.stringify(list.body)).not.toContain(sub.secret);
    // At rest the secret is a SecretBox box (AES-256-GCM, key id inside), never the secret itself.
    const [row] = await sql<{ secret: string }>('select secret from webhook_subscriptions where id = $1', [sub.id]);
    expect(row.secret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.secret).not.toContain(sub.secret.slice(6));

    const contact = await createContact();
    const [hit] = await received((all) => all.length === 1);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(verifySignature(hit.headers['x-nanozons-signature'], hit.body, sub.secret)).toBe(true);
    expect(verifySignature(hit.headers['x-nanozons-signature'], hit.body, 'whsec_wrong')).toBe(false);
    // A body altered in transit no longer verifies.
    expect(verifySignature(hit.headers['x-nanozons-signature'], hit.body.replace(contact.id, owner.userId), sub.secret)).toBe(false);
    const t0 = Number(/t=(\d+)/.exec(String(hit.headers['x-nanozons-signature']))![1]);
    expect(Math.abs(t0 - Date.now() / 1000)).toBeLessThan(60);
    expect(hit.json).toEqual({ id: hit.headers['x-nanozons-delivery'], event: 'contact.created', createdAt: expect.any(String), workspaceId: owner.workspaceId, data: { contactId: contact.id } });

    const log = await settled(sub.id, hit.json.id, 'succeeded');
    expect(log).toMatchObject({ event: 'contact.created', attempts: 1, responseCode: 200, lastError: null, subscriptionId: sub.id });
    expect(log.durationMs).toEqual(expect.any(Number));
  });

  it('delivers only the subscribed events, or all of them with *', async () => {
    const onlyMessages = await subscribe(['message.received']);
    const all = await subscribe(['*']);
    await createContact();
    await received((r) => r.length >= 1);
    expect(await deliveriesOf(onlyMessages.id)).toHaveLength(0);
    expect(await deliveriesOf(all.id)).toHaveLength(1);
  });

  it('retries a failing receiver with backoff under the same delivery id, then succeeds', async () => {
    const sub = await subscribe();
    receiver.respond([500, 503]);
    await createContact();
    const hits = await received((all) => all.some((r) => r.status === 200));
    expect(hits.map((h) => h.status)).toEqual([500, 503, 200]);
    const ids = new Set(hits.map((h) => h.headers['x-nanozons-delivery']));
    expect(ids.size).toBe(1);
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    for (const h of hits) expect(verifySignature(h.headers['x-nanozons-signature'], h.body, sub.secret)).toBe(true);
    expect(await settled(sub.id, hits[0].json.id, 'succeeded')).toMatchObject({ attempts: 3, responseCode: 200, lastError: null });
  });

  it('redelivers a finished delivery under the same id; a pending one cannot be', async () => {
    const sub = await subscribe();
    await createContact();
    const [first] = await received((all) => all.length === 1);
    await settled(sub.id, first.json.id, 'succeeded');

    const res = await t.http().post(ws(`/webhook-subscriptions/${sub.id}/deliveries/${first.json.id}/redeliver`)).set(owner.auth).expect(202);
    expect(res.body).toMatchObject({ id: first.json.id, status: 'pending' });
    const hits = await received((all) => all.length === 2);
    expect(hits[1].headers['x-nanozons-delivery']).toBe(first.json.id);
    expect(hits[1].body).toBe(first.body);
    expect(await settled(sub.id, first.json.id, 'succeeded')).toMatchObject({ attempts: 2 });

    receiver.respond([], 500);
    await createContact('Pending');
    const pending = (await received((all) => all.length === 3))[2];
    const again = await t.http().post(ws(`/webhook-subscriptions/${sub.id}/deliveries/${pending.json.id}/redeliver`)).set(owner.auth);
    expectProblem(again, 409, 'conflict');
  });

  it('signs with both secrets for 24 h after a rotation, then only with the new one', async () => {
    const sub = await subscribe();
    const rotated = await t.http().post(ws(`/webhook-subscriptions/${sub.id}/rotate-secret`)).set(owner.auth).expect(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(sub.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(DAY_MS - 60_000);

    await createContact('During overlap');
    const [overlap] = await received((all) => all.length === 1);
    expect(String(overlap.headers['x-nanozons-signature']).match(/v1=/g)).toHaveLength(2);
    expect(verifySignature(overlap.headers['x-nanozons-signature'], overlap.body, sub.secret)).toBe(true);
    expect(verifySignature(overlap.headers['x-nanozons-signature'], overlap.body, rotated.body.secret)).toBe(true);

    const clock = t.app.get<Clock>('WebhookClock');
    clock.advance(DAY_MS + 60_000);
    try {
      await createContact('After overlap');
      const after: ReceivedWebhook = (await received((all) => all.length === 2))[1];
      expect(String(after.headers['x-nanozons-signature']).match(/v1=/g)).toHaveLength(1);
      expect(verifySignature(after.headers['x-nanozons-signature'], after.body, rotated.body.secret)).toBe(true);
      expect(verifySignature(after.headers['x-nanozons-signature'], after.body, sub.secret)).toBe(false);
    } finally {
      clock.advance(-(DAY_MS + 60_000));
    }
  });

  it('gives up after 24 h of failures: the delivery is failed, the subscription disabled and audited', async () => {
    const sub = await subscribe();
    receiver.respond([], 500);
    await createContact();
    const [first] = await received((all) => all.length >= 1);
    const clock = t.app.get<Clock>('WebhookClock');
    clock.advance(DAY_MS + 60_000);
    try {
      const failed = await settled(sub.id, first.json.id, 'failed');
      expect(failed).toMatchObject({ responseCode: 500, lastError: expect.stringContaining('HTTP 500') });
      expect(failed.attempts).toBeGreaterThanOrEqual(2);
      const list = await t.http().get(ws('/webhook-subscriptions')).set(owner.auth).expect(200);
      expect(list.body.data[0]).toMatchObject({ id: sub.id, status: 'disabled', disabledAt: expect.any(String) });
      const audit = await t.http().get(ws('/audit-events')).query({ action: 'webhook_subscription.disabled' }).set(owner.auth).expect(200);
      expect(audit.body.data).toEqual([expect.objectContaining({ subjectId: sub.id, actor: { type: 'system', id: 'webhooks' } })]);

      // A disabled subscription gets no new deliveries.
      const before = mine(receiver.received).length;
      await createContact('Ignored');
      await new Promise((r) => setTimeout(r, 300));
      expect(mine(receiver.received).length).toBe(before);
      expect(await deliveriesOf(sub.id)).toHaveLength(1);
    } finally {
      clock.advance(-(DAY_MS + 60_000));
    }
  });

  it('validates event names and keeps subscriptions to owners and admins of the workspace', async () => {
    expectProblem(await t.http().post(ws('/webhook-subscriptions')).set(owner.auth).send({ url: receiver.url, events: ['message.exploded'] }), 400, 'validation_failed');
    expectProblem(await t.http().post(ws('/webhook-subscriptions')).set(owner.auth).send({ url: receiver.url, events: [] }), 400, 'validation_failed');
    expectProblem(await t.http().post(ws('/webhook-subscriptions')).set(owner.auth).send({ url: receiver.url, events: ['*'], extra: 1 }), 400, 'validation_failed');
    const sub = await subscribe(['*']);

    const admin = await memberWithRole(t, owner, 'admin');
    await t.http().get(ws('/webhook-subscriptions')).set(admin.auth).expect(200);
    const agent = await memberWithRole(t, owner, 'agent');
    expectProblem(await t.http().get(ws('/webhook-subscriptions')).set(agent.auth), 403, 'forbidden');
    expectProblem(await t.http().post(ws('/webhook-subscriptions')).set(agent.auth).send({ url: receiver.url, events: ['*'] }), 403, 'forbidden');
    const agentKey = await apiKey(t, owner, 'agent');
    expectProblem(await t.http().post(ws(`/webhook-subscriptions/${sub.id}/rotate-secret`)).set(agentKey.headers), 403, 'forbidden');

    const other = await signup(t, 'other');
    const foreign = (rest: string) => `/v1/workspaces/${other.workspaceId}${rest}`;
    expectProblem(await t.http().delete(foreign(`/webhook-subscriptions/${sub.id}`)).set(other.auth), 404, 'not_found');
    expectProblem(await t.http().get(foreign(`/webhook-subscriptions/${sub.id}/deliveries`)).set(other.auth), 404, 'not_found');
    expectProblem(await t.http().get(ws('/webhook-subscriptions')).set(other.auth), 404, 'not_found');

    await t.http().delete(ws(`/webhook-subscriptions/${sub.id}`)).set(owner.auth).expect(204);
    expectProblem(await t.http().get(ws(`/webhook-subscriptions/${sub.id}/deliveries`)).set(owner.auth), 404, 'not_found');
  });

  it('answers every webhook-subscription call with the rate-limit headers, refusals included', async () => {
    const sub = await subscribe();
    const agent = await memberWithRole(t, owner, 'agent');
    const answers = [
      await t.http().get(ws('/webhook-subscriptions')).set(owner.auth).expect(200),
      await t.http().post(ws(`/webhook-subscriptions/${sub.id}/rotate-secret`)).set(owner.auth).expect(200),
      await t.http().get(ws(`/webhook-subscriptions/${sub.id}/deliveries`)).set(owner.auth).expect(200),
      await t.http().post(ws('/webhook-subscriptions')).set(owner.auth).send({ url: receiver.url, events: ['nope'] }).expect(400),
      await t.http().get(ws('/webhook-subscriptions')).set(agent.auth).expect(403),
      await t.http().delete(ws(`/webhook-subscriptions/${sub.id}`)).set(owner.auth).expect(204),
    ];
    for (const res of answers) {
      expect({ status: res.status, limit: res.headers['ratelimit-limit'], remaining: res.headers['ratelimit-remaining'], reset: res.headers['ratelimit-reset'] }).toEqual({
        status: res.status,
        limit: expect.stringMatching(/^\d+$/),
        remaining: expect.stringMatching(/^\d+$/),
        reset: expect.stringMatching(/^\d+$/),
      });
    }
  });
});
