import { randomInt, randomUUID } from 'node:crypto';
import { waContact, waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { connectWhatsapp, postWhatsapp } from '../utils/channels';
import { allMessages, contactWith, conversationOf, processed, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

type Json = Record<string, any>;

const HOUR = 3600 * 1000;
const newWaId = () => `49153${randomInt(10_000_000, 99_999_999)}`;

jest.setTimeout(30_000);

/** Issue 7: the same refusals hold on every path (conversation send, business-initiated send, retry). */
describe('compliance refusals on every send path', () => {
  let t: TestApp;
  let owner: Account;
  let wa: Awaited<ReturnType<typeof connectWhatsapp>>;

  beforeAll(async () => {
    t = await startApp({ OUTBOUND_RETRY_BASE_MS: '100' });
    owner = await signup(t);
    wa = await connectWhatsapp(t, owner);
    await t.http().post(`/v1/workspaces/${owner.workspaceId}/channels/${wa.id}/templates/sync`).set(owner.auth).expect(200);
  });
  afterEach(() => t.http().delete('/sandbox/faults'));
  afterAll(() => t.close());

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const orderUpdate = { name: 'order_update', language: 'en_US', parameters: { body: ['Ana', '#1042'] } };
  const inConversation = (conversationId: string, body: Json) => t.http().post(ws(`/conversations/${conversationId}/messages`)).set(owner.auth).send(body);
  const businessInitiated = (contactId: string, body: Json) => t.http().post(ws('/messages')).set(owner.auth).send({ contactId, channelId: wa.id, ...body });
  const retry = (messageId: string) => t.http().post(ws(`/messages/${messageId}/retry`)).set(owner.auth);
  const graphSends = async (waId: string) =>
    ((await t.http().get('/sandbox/requests?provider=whatsapp').expect(200)).body.data as Json[]).filter((r) => r.path.includes('/messages') && r.body?.to === `+${waId}`).length;

  async function customerWrote(waId: string, ago: number, text = 'Hello?') {
    const timestamp = String(Math.floor((Date.now() - ago) / 1000));
    const payload = waInbound({ ...waText(text, `wamid.CP${randomUUID().replace(/-/g, '')}`), from: waId, timestamp }, [waContact(waId, 'Ana Example')]);
    await processed(t, owner, wa.id, await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200));
    const contact = await contactWith(t, owner, waId);
    return { contact, conversation: await conversationOf(t, owner, contact.id) };
  }

  async function optIn(contactId: string) {
    await t.http().post(ws(`/contacts/${contactId}/consents`)).set(owner.auth).send({ channelType: 'whatsapp', status: 'opted_in', source: 'api' }).expect(201);
  }

  async function settled(id: string, status: string): Promise<Json> {
    for (let i = 0; i < 100; i++) {
      const m = (await t.http().get(ws(`/messages/${id}`)).set(owner.auth).expect(200)).body;
      if (m.status === status) return m;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`message ${id} never became ${status}`);
  }

  /** A message the provider refused permanently (the sandbox answers `code` once). */
  async function failedMessage(conversationId: string, code: number, title: string): Promise<string> {
    await t.http().post('/sandbox/faults').send({ provider: 'whatsapp', status: 400, match: '/messages', body: { error: { message: `(#${code}) ${title}`, code } } }).expect(201);
    const res = await inConversation(conversationId, { text: 'This one fails' }).expect(202);
    const failed = await settled(res.body.id, 'failed');
    expect(failed.error).toMatchObject({ code: String(code), retryable: false });
    return res.body.id;
  }

  /** 422 with `code`, no new message in the conversation, and the sandbox saw no send to the contact. */
  async function expectRefused(attempt: () => Promise<{ status: number; body: Json }>, waId: string, conversationId: string, code: string) {
    const messagesBefore = (await allMessages(t, owner, conversationId)).length;
    const sendsBefore = await graphSends(waId);
    const res = await attempt();
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code });
    expect(await allMessages(t, owner, conversationId)).toHaveLength(messagesBefore);
    expect(await graphSends(waId)).toBe(sendsBefore);
    return res.body;
  }

  it('inbound 25 h ago: free-form in the conversation and business-initiated → whatsapp_window_closed, no provider call', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, 25 * HOUR);
    for (const attempt of [() => inConversation(conversation.id, { text: 'Sorry for the wait' }), () => businessInitiated(contact.id, { text: 'Sorry for the wait' })]) {
      const body = await expectRefused(attempt, waId, conversation.id, 'whatsapp_window_closed');
      expect(Date.parse(body.closedAt)).toBeLessThan(Date.now());
    }
  });

  it('retry of a failed message after the window closed (provider 131047) → whatsapp_window_closed; the message stays failed', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    const failedId = await failedMessage(conversation.id, 131047, 'Re-engagement message');

    await expectRefused(() => retry(failedId), waId, conversation.id, 'whatsapp_window_closed');
    await expectRefused(() => inConversation(conversation.id, { text: 'Still there?' }), waId, conversation.id, 'whatsapp_window_closed');
    await expectRefused(() => businessInitiated(contact.id, { text: 'Still there?' }), waId, conversation.id, 'whatsapp_window_closed');
    expect((await t.http().get(ws(`/messages/${failedId}`)).set(owner.auth).expect(200)).body.status).toBe('failed');
  });

  it.each(['stop', ' Stop ', 'ARRET'])('%j inbound → contact_opted_out on the conversation send, the business-initiated send and the retry; START allows again', async (keyword) => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    await optIn(contact.id);
    const failedId = await failedMessage(conversation.id, 131026, 'Message undeliverable');

    await sandboxInbound(t, owner, wa.id, { from: waId, text: keyword });
    await expectRefused(() => inConversation(conversation.id, { text: 'Are you sure?' }), waId, conversation.id, 'contact_opted_out');
    await expectRefused(() => businessInitiated(contact.id, { template: orderUpdate }), waId, conversation.id, 'contact_opted_out');
    await expectRefused(() => businessInitiated(contact.id, { text: 'One more thing' }), waId, conversation.id, 'contact_opted_out');
    await expectRefused(() => retry(failedId), waId, conversation.id, 'contact_opted_out');
    expect((await t.http().get(ws(`/messages/${failedId}`)).set(owner.auth).expect(200)).body.status).toBe('failed');

    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'START' });
    const reply = await inConversation(conversation.id, { text: 'Welcome back' }).expect(202);
    const initiated = await businessInitiated(contact.id, { template: orderUpdate }).expect(202);
    await retry(failedId).expect(202);
    for (const id of [reply.body.id, initiated.body.id, failedId]) await settled(id, 'sent');
  });

  it('"Yes" after STOP is an ordinary answer, not an opt-in: every path stays refused', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    await optIn(contact.id);
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'STOP' });
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'Yes' });
    await expectRefused(() => inConversation(conversation.id, { text: 'Great, booked!' }), waId, conversation.id, 'contact_opted_out');
    await expectRefused(() => businessInitiated(contact.id, { template: orderUpdate }), waId, conversation.id, 'contact_opted_out');
  });
});
