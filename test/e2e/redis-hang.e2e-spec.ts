import { randomInt, randomUUID } from 'node:crypto';
import { connectTelegram } from '../utils/channels';
import { contactWith, conversationOf, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { settledMessage } from '../utils/outbound';
import { TcpGate } from '../utils/tcp-gate';
import { startApp, TestApp } from '../utils/test-app';

/** Generous against the ~0.1–1 s the timeouts allow, and far below "forever" (22 s seen in wave 1). */
const BOUND_MS = 4_000;

/**
 * Issue 16, defect 6: Redis accepts connections but never answers. Every Redis client has a command
 * timeout and the rate limiter fails open, so REST calls answer in bounded time.
 */
describe('a Redis that hangs does not stall REST calls', () => {
  let gate: TcpGate;
  let t: TestApp;
  let owner: Account;
  let conversationId: string;
  let contactId: string;

  beforeAll(async () => {
    gate = await TcpGate.start({ host: '127.0.0.1', port: Number(new URL(process.env.REDIS_URL!).port || 6379) });
    gate.open();
    t = await startApp({ REDIS_URL: `redis://127.0.0.1:${gate.port}`, TEST_REDIS_URL: '', REDIS_PREFIX: `${process.env.REDIS_PREFIX}hang${randomUUID().slice(0, 8)}` });
    owner = await signup(t);
    const tg = await connectTelegram(t, owner);
    const chatId = String(randomInt(100_000_000, 999_999_999));
    await sandboxInbound(t, owner, tg.id, { from: chatId, text: 'Hello' });
    contactId = (await contactWith(t, owner, chatId)).id;
    conversationId = (await conversationOf(t, owner, contactId)).id;
  }, 60_000);
  afterAll(async () => {
    // Redis goes away (connections refused), and the app still closes. Not gate.shut(): a port that
    // accepts and then drops every connection (a TCP proxy in front of a dead Redis) leaves Bull's
    // clients wedged and the queues' close never ends (known bug, see main.ts's shutdown deadline).
    await gate.close();
    await t.close();
  });

  const timed = async (call: () => PromiseLike<{ status: number }>) => {
    const started = Date.now();
    const res = await call();
    return { status: res.status, ms: Date.now() - started };
  };

  it('reads, updates and sends answer within the bound while Redis hangs; the send goes out once Redis answers again', async () => {
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    gate.hang();
    const read = await timed(() => t.http().get(`${ws}/contacts/${contactId}`).set(owner.auth).timeout(BOUND_MS * 3));
    const update = await timed(() => t.http().patch(`${ws}/contacts/${contactId}`).set(owner.auth).send({ name: 'While Redis hangs' }).timeout(BOUND_MS * 3));
    let messageId = '';
    const send = await timed(() =>
      t
        .http()
        .post(`${ws}/conversations/${conversationId}/messages`)
        .set(owner.auth)
        .send({ text: 'sent while Redis hangs' })
        .timeout(BOUND_MS * 3)
        .then((r) => ((messageId = r.body.id), r)),
    );
    expect([read.status, update.status, send.status]).toEqual([200, 200, 202]);
    for (const call of [read, update, send]) expect(call.ms).toBeLessThan(BOUND_MS);
    // Nothing accepted is lost: once Redis answers, the enqueue (or the sweeper) delivers it.
    gate.shut();
    gate.open();
    await settledMessage(t, owner, messageId, 'sent', 60_000);
  }, 90_000);
});
