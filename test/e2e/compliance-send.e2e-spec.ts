import { randomInt, randomUUID } from 'node:crypto';
import { waContact, waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { connectWhatsapp, postWhatsapp } from '../utils/channels';
import { allMessages, contactWith, conversationOf, processed, sandboxInbound } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

type Json = Record<string, any>;

const HOUR = 3600 * 1000;
const newWaId = () => `49152${randomInt(10_000_000, 99_999_999)}`;

jest.setTimeout(30_000);

describe('compliance on the send path', () => {
  let t: TestApp;
  let owner: Account;
  let wa: Awaited<ReturnType<typeof connectWhatsapp>>;

  beforeAll(async () => {
    // A first automatic retry 3-5 s after a transient failure: time for the contact to opt out meanwhile.
    t = await startApp({ OUTBOUND_RETRY_BASE_MS: '4000' });
    owner = await signup(t);
    wa = await connectWhatsapp(t, owner);
    await t.http().post(`/v1/workspaces/${owner.workspaceId}/channels/${wa.id}/templates/sync`).set(owner.auth).expect(200);
  });
  afterAll(() => t.close());

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const orderUpdate = (body = ['Ana', '#1042']) => ({ name: 'order_update', language: 'en_US', parameters: { body } });
  const send = (conversationId: string, body: Json) => t.http().post(ws(`/conversations/${conversationId}/messages`)).set(owner.auth).send(body);
  const sendToContact = (contactId: string, body: Json) => t.http().post(ws('/messages')).set(owner.auth).send({ contactId, channelId: wa.id, ...body });
  const graphSends = async (to: string) =>
    ((await t.http().get('/sandbox/requests?provider=whatsapp').expect(200)).body.data as Json[]).filter((r) => r.path.includes('/messages') && r.body?.to === `+${to}`).length;
  const refusals = async (contactId: string, code: string) =>
    ((await t.http().get(ws('/audit-events')).query({ action: 'message.send_refused', limit: 200 }).set(owner.auth).expect(200)).body.data as Json[]).filter(
      (e) => e.subjectId === contactId && e.changes?.code === code,
    ).length;

  /** A customer message whose provider timestamp is `ago` ms in the past, through the signed webhook. */
  async function customerWrote(waId: string, ago: number, text = 'Hello?') {
    const timestamp = String(Math.floor((Date.now() - ago) / 1000));
    const payload = waInbound({ ...waText(text, `wamid.CS${randomUUID().replace(/-/g, '')}`), from: waId, timestamp }, [waContact(waId, 'Ana Example')]);
    await processed(t, owner, wa.id, await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200));
    const contact = await contactWith(t, owner, waId);
    return { contact, conversation: await conversationOf(t, owner, contact.id) };
  }

  async function optIn(contactId: string) {
    await t.http().post(ws(`/contacts/${contactId}/consents`)).set(owner.auth).send({ channelType: 'whatsapp', status: 'opted_in', source: 'api' }).expect(201);
  }

  /** The refusal answered 422 with `code`, created no message, called no provider and was audited. */
  async function expectRefused(attempt: () => Promise<{ status: number; body: Json }>, ctx: { waId: string; contactId: string; conversationId?: string }, code: string) {
    const before = ctx.conversationId ? (await allMessages(t, owner, ctx.conversationId)).length : 0;
    const graphBefore = await graphSends(ctx.waId);
    const auditsBefore = await refusals(ctx.contactId, code);
    const res = await attempt();
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 422, code });
    if (ctx.conversationId) expect(await allMessages(t, owner, ctx.conversationId)).toHaveLength(before);
    expect(await graphSends(ctx.waId)).toBe(graphBefore);
    expect(await refusals(ctx.contactId, code)).toBe(auditsBefore + 1);
    return res.body;
  }

  const refusalsOf = async (contactId: string) =>
    ((await t.http().get(ws('/audit-events')).query({ action: 'message.send_refused', limit: 200 }).set(owner.auth).expect(200)).body.data as Json[]).filter((e) => e.subjectId === contactId);
  const failNextGraphSend = (status: number, body?: Json) => t.http().post('/sandbox/faults').send({ provider: 'whatsapp', status, match: '/messages', ...(body ? { body } : {}) }).expect(201);

  async function settled(id: string, status: string) {
    for (let i = 0; i < 100; i++) {
      const m = (await t.http().get(ws(`/messages/${id}`)).set(owner.auth).expect(200)).body;
      if (m.status === status) return m;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`message ${id} never became ${status}`);
  }

  it('free-form 25 h after the last inbound message (provider time) → whatsapp_window_closed with closedAt', async () => {
    const waId = newWaId();
    const wroteAt = Date.now() - 25 * HOUR;
    const { contact, conversation } = await customerWrote(waId, 25 * HOUR);
    const body = await expectRefused(() => send(conversation.id, { text: 'Sorry for the wait' }), { waId, contactId: contact.id, conversationId: conversation.id }, 'whatsapp_window_closed');
    expect(Math.abs(Date.parse(body.closedAt) - (wroteAt + 24 * HOUR))).toBeLessThan(2000);
  });

  it('free-form 23 h after → 202', async () => {
    const { conversation } = await customerWrote(newWaId(), 23 * HOUR);
    const res = await send(conversation.id, { text: 'Still within the window' }).expect(202);
    await settled(res.body.id, 'sent');
  });

  it('a template outside the window needs an opt-in: consent_required without, 202 with', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, 30 * HOUR);
    const ids = { waId, contactId: contact.id, conversationId: conversation.id };
    await expectRefused(() => send(conversation.id, { template: orderUpdate() }), ids, 'consent_required');
    await optIn(contact.id);
    const res = await send(conversation.id, { template: orderUpdate() }).expect(202);
    await settled(res.body.id, 'sent');
    await expectRefused(() => send(conversation.id, { template: orderUpdate(['only one']) }), ids, 'template_params_invalid');
    await expectRefused(() => send(conversation.id, { template: { name: 'no_such_template', language: 'en_US' } }), ids, 'template_required');
  });

  it('a contact who never wrote: free-form → template_required; an opted-in template → 202', async () => {
    const waId = newWaId();
    const created = await t.http().post(ws('/contacts')).set(owner.auth).send({ name: 'Cold lead', identifiers: [{ kind: 'whatsapp', value: waId }] }).expect(201);
    const ids = { waId, contactId: created.body.id as string };
    await expectRefused(() => sendToContact(created.body.id, { text: 'Hi there' }), ids, 'template_required');
    await expectRefused(() => sendToContact(created.body.id, { template: orderUpdate() }), ids, 'consent_required');
    await optIn(created.body.id);
    const res = await sendToContact(created.body.id, { template: orderUpdate() }).expect(202);
    expect(res.body).toMatchObject({ direction: 'outbound', status: 'queued', contactId: created.body.id });
    await settled(res.body.id, 'sent');
  });

  it('STOP opts out of replies, business-initiated sends and retries; START allows them again', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    await optIn(contact.id);
    await t.http().post('/sandbox/faults').send({ provider: 'whatsapp', status: 400, match: '/messages', body: { error: { message: '(#131026) Message undeliverable', code: 131026 } } }).expect(201);
    const failed = await send(conversation.id, { text: 'This one fails' }).expect(202);
    await settled(failed.body.id, 'failed');

    await sandboxInbound(t, owner, wa.id, { from: waId, text: ' stop ' });
    const ids = { waId, contactId: contact.id, conversationId: conversation.id };
    await expectRefused(() => send(conversation.id, { text: 'Are you sure?' }), ids, 'contact_opted_out');
    await expectRefused(() => sendToContact(contact.id, { template: orderUpdate() }), ids, 'contact_opted_out');
    await expectRefused(() => t.http().post(ws(`/messages/${failed.body.id}/retry`)).set(owner.auth), ids, 'contact_opted_out');
    expect((await t.http().get(ws(`/messages/${failed.body.id}`)).set(owner.auth).expect(200)).body.status).toBe('failed');

    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'START' });
    await send(conversation.id, { text: 'Welcome back' }).expect(202);
    await t.http().post(ws(`/messages/${failed.body.id}/retry`)).set(owner.auth).expect(202);
    await settled(failed.body.id, 'sent');
  });

  it('a restricted contact: business-initiated → processing_restricted; a reply is still allowed', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    await optIn(contact.id);
    await t.http().patch(ws(`/contacts/${contact.id}`)).set(owner.auth).send({ processingRestricted: true }).expect(200);
    await expectRefused(() => sendToContact(contact.id, { template: orderUpdate() }), { waId, contactId: contact.id, conversationId: conversation.id }, 'processing_restricted');
    await send(conversation.id, { text: 'Answering your question' }).expect(202);
  });

  it('a retry keeps the rules of its original path: a failed business-initiated send to a contact restricted since → processing_restricted', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    await optIn(contact.id);
    await failNextGraphSend(400, { error: { message: '(#131026) Message undeliverable', code: 131026 } });
    const initiated = await sendToContact(contact.id, { template: orderUpdate() }).expect(202);
    await settled(initiated.body.id, 'failed');
    await failNextGraphSend(400, { error: { message: '(#131026) Message undeliverable', code: 131026 } });
    const reply = await send(conversation.id, { text: 'A reply that fails' }).expect(202);
    await settled(reply.body.id, 'failed');

    await t.http().patch(ws(`/contacts/${contact.id}`)).set(owner.auth).send({ processingRestricted: true }).expect(200);
    const ids = { waId, contactId: contact.id, conversationId: conversation.id };
    await expectRefused(() => t.http().post(ws(`/messages/${initiated.body.id}/retry`)).set(owner.auth), ids, 'processing_restricted');
    expect((await t.http().get(ws(`/messages/${initiated.body.id}`)).set(owner.auth).expect(200)).body.status).toBe('failed');
    const [audit] = (await refusalsOf(contact.id)).filter((e) => e.changes?.messageId === initiated.body.id);
    expect(audit.changes).toMatchObject({ code: 'processing_restricted', path: 'business_initiated', retry: true });
    // The agent's reply was never business-initiated: restriction does not block its retry.
    await t.http().post(ws(`/messages/${reply.body.id}/retry`)).set(owner.auth).expect(202);
    await settled(reply.body.id, 'sent');
  });

  it('the worker checks the policy again before the provider call: STOP during the retry backoff → failed contact_opted_out, no second call', async () => {
    const waId = newWaId();
    const { contact, conversation } = await customerWrote(waId, HOUR);
    await failNextGraphSend(500);
    const res = await send(conversation.id, { text: 'Your parcel is delayed' }).expect(202);
    for (let i = 0; i < 100; i++) {
      const m = (await t.http().get(ws(`/messages/${res.body.id}`)).set(owner.auth).expect(200)).body;
      if (m.attempts[0]?.outcome === 'retry') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const auditsBefore = await refusals(contact.id, 'contact_opted_out');
    await sandboxInbound(t, owner, wa.id, { from: waId, text: 'STOP' });

    const failed = await settled(res.body.id, 'failed');
    expect(failed.error).toEqual({ code: 'contact_opted_out', message: expect.stringContaining('opted out'), retryable: false });
    expect(failed.attempts).toEqual([{ at: expect.any(String), outcome: 'retry', errorCode: '131000' }]);
    expect(failed.statusHistory.map((h: Json) => h.status)).toEqual(['queued', 'failed']);
    expect(await graphSends(waId)).toBe(1);
    expect(await refusals(contact.id, 'contact_opted_out')).toBe(auditsBefore + 1);
    const [audit] = (await refusalsOf(contact.id)).filter((e) => e.changes?.messageId === res.body.id);
    expect(audit).toMatchObject({ actor: { type: 'system', id: 'outbound_worker' }, changes: { code: 'contact_opted_out', path: 'reply', channelId: wa.id } });
  });
});
