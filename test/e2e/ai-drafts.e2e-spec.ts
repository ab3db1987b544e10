import { randomInt, randomUUID } from 'node:crypto';
import { waContact, waInbound, waText } from '../../src/modules/channels/adapters/whatsapp/fixtures';
import { readyDraft, requestArtifact, settledArtifact } from '../utils/ai';
import { connectEmail, connectWhatsapp, postWhatsapp } from '../utils/channels';
import { allMessages, contactWith, conversationOf, processed, recordDomainEvents } from '../utils/conversations';
import { Account, apiKey, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { customerConversation, sandboxRequests, settledMessage } from '../utils/outbound';
import { startApp, TestApp } from '../utils/test-app';
import { createRole, Creds, expectProblem } from '../utils/workspace-fixtures';

type Json = Record<string, any>;

const HOUR = 3600 * 1000;

jest.setTimeout(60_000);

/** The built-in local provider (no AI_BASE_URL): drafts a person edits and approves, and what approval guarantees. */
describe('AI drafts and summaries with the local provider', () => {
  let t: TestApp;
  let owner: Account;
  let email: Awaited<ReturnType<typeof connectEmail>>;

  beforeAll(async () => {
    t = await startApp({ AI_BASE_URL: '' });
    owner = await signup(t);
    email = await connectEmail(t, owner);
  });
  afterAll(() => t.close());

  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const approve = (id: string, creds: Creds = owner.auth, body: Json = {}) => t.http().post(ws(`/ai/artifacts/${id}/approve`)).set(creds).send(body);
  const artifact = async (id: string) => (await t.http().get(ws(`/ai/artifacts/${id}`)).set(owner.auth).expect(200)).body;
  const postmarkTo = async (to: string) => (await sandboxRequests(t, 'postmark')).filter((r) => r.path.endsWith('/email') && String(r.body?.To).includes(to));
  const setSettings = (settings: Json) => t.http().patch(ws('')).set(owner.auth).send({ settings }).expect(200);

  async function emailConversation(text = 'Where is my order 1042? It was due on Monday.') {
    const from = uniqueEmail('customer');
    const { conversation, messages } = await customerConversation(t, owner, email.id, { from, text, subject: 'Order 1042' });
    return { from, conversation, messages };
  }

  it('summaries are deterministic, built by the local provider, and cite real message ids', async () => {
    const { from, conversation } = await emailConversation('My parcel for order 1042 has not arrived. The tracking page shows no update since Monday.');
    await t.http().post(ws(`/conversations/${conversation.id}/messages`)).set(owner.auth).send({ text: 'Sorry about that, we are checking the parcel with the courier.' }).expect(202);
    await customerConversation(t, owner, email.id, { from, text: 'Thanks. Can you refund the shipping cost if the parcel is lost?', subject: 'Re: Order 1042' });
    const ids = (await allMessages(t, owner, conversation.id)).map((m) => m.id);

    const accepted = await requestArtifact(t, owner, conversation.id, 'summary');
    expect(accepted).toMatchObject({ kind: 'summary', status: 'pending', provider: 'local' });
    const first = await settledArtifact(t, owner, accepted.id);
    const second = await settledArtifact(t, owner, (await requestArtifact(t, owner, conversation.id, 'summary')).id);
    expect(first).toMatchObject({ status: 'ready', provider: 'local', model: expect.any(String), requestedBy: { type: 'user', id: owner.userId } });
    expect(second.content).toBe(first.content);
    expect(first.sources.length).toBeGreaterThan(0);
    for (const id of first.sources) expect(ids).toContain(id);
    expect(first.content).toMatch(/parcel/);
    // Newest first.
    const list = (await t.http().get(ws('/ai/artifacts')).query({ conversationId: conversation.id }).set(owner.auth).expect(200)).body;
    expect(list.data.map((a: Json) => a.id)).toEqual([second.id, first.id]);
    const page = (await t.http().get(ws('/ai/artifacts')).query({ conversationId: conversation.id, limit: 1 }).set(owner.auth).expect(200)).body;
    expect(page.data.map((a: Json) => a.id)).toEqual([second.id]);
    const next = (await t.http().get(ws('/ai/artifacts')).query({ conversationId: conversation.id, limit: 1, cursor: page.nextCursor }).set(owner.auth).expect(200)).body;
    expect(next).toEqual({ data: [expect.objectContaining({ id: first.id })], nextCursor: null });
    // Summaries cannot be approved, edited or discarded.
    expectProblem(await approve(first.id), 409, 'conflict');
    expectProblem(await t.http().patch(ws(`/ai/artifacts/${first.id}`)).set(owner.auth).send({ content: 'x' }), 409, 'conflict');
  });

  it('drafts answer the customer in their language', async () => {
    const { conversation } = await emailConversation('Hola, ¿dónde está mi pedido? Lo necesito para el viernes.');
    const draft = await readyDraft(t, owner, conversation.id);
    expect(draft).toMatchObject({ kind: 'draft', language: 'es', provider: 'local' });
    expect(draft.content).toMatch(/^Hola/);
  });

  it('draft → edit → approve: the provider gets the edited text exactly once, nothing before approve; a second approve is refused', async () => {
    const { from, conversation, messages } = await emailConversation();
    const draft = await readyDraft(t, owner, conversation.id, { instructions: 'Apologise for the delay.' });
    expect(draft.sources).toEqual([messages[0].id]);
    expect(draft.history).toEqual([{ content: draft.content, at: expect.any(String), by: null }]);
    expect(await postmarkTo(from)).toHaveLength(0);

    const edited = `${draft.content}\n\nP.S. Your parcel left our warehouse today.`;
    const patched = (await t.http().patch(ws(`/ai/artifacts/${draft.id}`)).set(owner.auth).send({ content: edited }).expect(200)).body;
    expect(patched).toMatchObject({ status: 'ready', content: edited });
    expect(patched.history.map((h: Json) => h.content)).toEqual([draft.content, edited]);
    expect(patched.history[1].by).toEqual({ type: 'user', id: owner.userId });
    expect(await postmarkTo(from)).toHaveLength(0);

    const usage = recordDomainEvents(t, ['usage.sample']);
    const res = await approve(draft.id).expect(202);
    usage.stop();
    expect(usage.events.map((e) => e.payload)).toEqual([expect.objectContaining({ workspaceId: owner.workspaceId, metric: 'ai_drafts_approved_edited', amount: 1 })]);
    expect(res.body).toMatchObject({ status: 'queued', text: edited, aiAssisted: true, aiArtifactId: draft.id, approvedBy: { type: 'user', id: owner.userId } });
    const sent = await settledMessage(t, owner, res.body.id, 'sent');
    expect(sent).toMatchObject({ aiAssisted: true, approvedBy: { type: 'user', id: owner.userId } });
    const approved = await artifact(draft.id);
    expect(approved).toMatchObject({ status: 'approved', messageId: res.body.id, approvedBy: { type: 'user', id: owner.userId }, content: edited });
    // Both texts are kept: the model's and the one sent.
    expect(approved.history[0].content).toBe(draft.content);

    expectProblem(await approve(draft.id), 409, 'conflict');
    expectProblem(await t.http().patch(ws(`/ai/artifacts/${draft.id}`)).set(owner.auth).send({ content: 'later' }), 409, 'conflict');
    expectProblem(await t.http().post(ws(`/ai/artifacts/${draft.id}/discard`)).set(owner.auth), 409, 'conflict');
    const deliveries = await postmarkTo(from);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0].body.TextBody).toBe(edited);

    const audit = (await t.http().get(ws('/audit-events')).query({ action: 'ai.draft_approved' }).set(owner.auth).expect(200)).body.data;
    expect(audit.filter((e: Json) => e.subjectId === draft.id)).toEqual([expect.objectContaining({ actor: { type: 'user', id: owner.userId }, subjectType: 'AiArtifact' })]);
  });

  it('10 concurrent approves of one draft send one message', async () => {
    const { from, conversation } = await emailConversation('Can I change the delivery address of order 2077?');
    const draft = await readyDraft(t, owner, conversation.id);
    const answers = await Promise.all(Array.from({ length: 10 }, () => approve(draft.id)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, ...Array(9).fill(409)]);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('conflict');
    const winner = answers.find((a) => a.status === 202)!;
    await settledMessage(t, owner, winner.body.id, 'sent');
    expect((await allMessages(t, owner, conversation.id)).filter((m) => m.aiArtifactId === draft.id)).toHaveLength(1);
    expect(await postmarkTo(from)).toHaveLength(1);
  });

  it('a discarded draft cannot be approved', async () => {
    const { from, conversation } = await emailConversation('Please cancel my subscription.');
    const draft = await readyDraft(t, owner, conversation.id);
    const discarded = (await t.http().post(ws(`/ai/artifacts/${draft.id}/discard`)).set(owner.auth).expect(200)).body;
    expect(discarded.status).toBe('discarded');
    expectProblem(await approve(draft.id), 409, 'conflict');
    expect(await postmarkTo(from)).toHaveLength(0);
  });

  it('ai_disabled: refused when asking and when approving; the draft stays ready', async () => {
    const { from, conversation } = await emailConversation('Is the blue model back in stock?');
    const draft = await readyDraft(t, owner, conversation.id);
    await setSettings({ aiEnabled: false });
    try {
      expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/drafts`)).set(owner.auth).send({}), 409, 'ai_disabled');
      expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/summaries`)).set(owner.auth).send({}), 409, 'ai_disabled');
      expectProblem(await approve(draft.id), 409, 'ai_disabled');
      expect((await artifact(draft.id)).status).toBe('ready');
    } finally {
      await setSettings({ aiEnabled: true });
    }
    expect(await postmarkTo(from)).toHaveLength(0);
    await approve(draft.id).expect(202);
  });

  it('processing_restricted: refused when asking and when approving; the draft stays ready', async () => {
    const { from, conversation } = await emailConversation('Do you ship to Norway?');
    const draft = await readyDraft(t, owner, conversation.id);
    const contact = await contactWith(t, owner, from);
    await t.http().patch(ws(`/contacts/${contact.id}`)).set(owner.auth).send({ processingRestricted: true }).expect(200);
    expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/drafts`)).set(owner.auth).send({}), 409, 'processing_restricted');
    expectProblem(await approve(draft.id), 409, 'processing_restricted');
    expect((await artifact(draft.id)).status).toBe('ready');
    expect(await postmarkTo(from)).toHaveLength(0);
  });

  it('WhatsApp window closed at approve time → 422 whatsapp_window_closed, nothing sent, the draft stays ready', async () => {
    const wa = await connectWhatsapp(t, owner);
    const waId = `49153${randomInt(10_000_000, 99_999_999)}`;
    const timestamp = String(Math.floor((Date.now() - 25 * HOUR) / 1000));
    const payload = waInbound({ ...waText('Hello, is my table booked for Friday?', `wamid.AI${randomUUID().replace(/-/g, '')}`), from: waId, timestamp }, [waContact(waId, 'Ana Example')]);
    await processed(t, owner, wa.id, await postWhatsapp(t, wa.id, payload, wa.appSecret).expect(200));
    const conversation = await conversationOf(t, owner, (await contactWith(t, owner, waId)).id);
    const draft = await readyDraft(t, owner, conversation.id);
    const graphSends = async () => (await sandboxRequests(t, 'whatsapp')).filter((r) => r.path.includes('/messages') && r.body?.to === `+${waId}`).length;
    const res = await approve(draft.id);
    expectProblem(res, 422, 'whatsapp_window_closed');
    expect(res.body.closedAt).toEqual(expect.any(String));
    expect((await artifact(draft.id)).status).toBe('ready');
    expect(await graphSends()).toBe(0);
    expect((await allMessages(t, owner, conversation.id)).filter((m) => m.direction === 'outbound')).toHaveLength(0);
  });

  it('a viewer cannot ask, read or approve; an agent can; an API key approves only with `approve AiArtifact`', async () => {
    const { conversation } = await emailConversation('What are your opening hours?');
    const draft = await readyDraft(t, owner, conversation.id);
    const viewer = await memberWithRole(t, owner, 'viewer');
    expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/drafts`)).set(viewer.auth).send({}), 403, 'forbidden');
    expectProblem(await t.http().post(ws(`/conversations/${conversation.id}/summaries`)).set(viewer.auth).send({}), 403, 'forbidden');
    expectProblem(await t.http().get(ws(`/ai/artifacts/${draft.id}`)).set(viewer.auth), 403, 'forbidden');
    expectProblem(await approve(draft.id, viewer.auth), 403, 'forbidden');

    const noApprove = await createRole(t, owner, [
      { action: 'read', subject: 'Conversation' },
      { action: 'read', subject: 'AiArtifact' },
      { action: 'create', subject: 'AiArtifact' },
      { action: 'send', subject: 'Message' },
    ]);
    const key = await apiKey(t, owner, noApprove.name);
    await requestArtifact(t, owner, conversation.id, 'draft', {}, key.headers);
    expectProblem(await approve(draft.id, key.headers), 403, 'forbidden');
    expect((await artifact(draft.id)).status).toBe('ready');

    const agent = await memberWithRole(t, owner, 'agent');
    const mine = await requestArtifact(t, owner, conversation.id, 'draft', {}, agent.auth);
    expect(mine.requestedBy).toEqual({ type: 'user', id: agent.userId });
    const res = await approve(draft.id, agent.auth).expect(202);
    expect(res.body.approvedBy).toEqual({ type: 'user', id: agent.userId });

    const agentKey = await apiKey(t, owner, 'agent');
    const other = await readyDraft(t, owner, conversation.id);
    const byKey = await approve(other.id, agentKey.headers).expect(202);
    expect(byKey.body.approvedBy).toEqual({ type: 'api_key', id: agentKey.id });
  });

  it('OpenAPI documents every AI route of API.md with tag `ai`, its permission, request and 2xx schemas and the refusals', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const prefix = '/v1/workspaces/{wid}';
    const routes: [string, string, string, string, string | null][] = [
      ['post', '/conversations/{conversationId}/summaries', '202', 'create AiArtifact', null],
      ['post', '/conversations/{conversationId}/drafts', '202', 'create AiArtifact', 'CreateDraftDto'],
      ['get', '/ai/artifacts', '200', 'read AiArtifact', null],
      ['get', '/ai/artifacts/{artifactId}', '200', 'read AiArtifact', null],
      ['patch', '/ai/artifacts/{artifactId}', '200', 'update AiArtifact', 'UpdateArtifactDto'],
      ['post', '/ai/artifacts/{artifactId}/approve', '202', 'approve AiArtifact', 'ApproveDraftDto'],
      ['post', '/ai/artifacts/{artifactId}/discard', '200', 'update AiArtifact', null],
    ];
    for (const [method, path, status, permission, requestSchema] of routes) {
      const op = doc.paths[`${prefix}${path}`]?.[method];
      expect({ path, tags: op?.tags, permission: op?.['x-permission'] }).toEqual({ path, tags: ['ai'], permission });
      expect(op.responses[status].content['application/json'].schema).toEqual(expect.objectContaining({}));
      if (requestSchema) expect(op.requestBody.content['application/json'].schema.$ref).toBe(`#/components/schemas/${requestSchema}`);
    }
    const codes = (op: Json, status: string) => op.responses[status].content['application/problem+json'].schema.allOf[1].properties.code.enum;
    const approveOp = doc.paths[`${prefix}/ai/artifacts/{artifactId}/approve`].post;
    expect(codes(approveOp, '409')).toEqual(expect.arrayContaining(['ai_disabled', 'processing_restricted', 'conflict']));
    expect(codes(approveOp, '422')).toEqual(expect.arrayContaining(['whatsapp_window_closed', 'contact_opted_out', 'consent_required']));
    expect(codes(doc.paths[`${prefix}/conversations/{conversationId}/drafts`].post, '409')).toEqual(expect.arrayContaining(['ai_disabled', 'processing_restricted']));
    expect(doc.components.schemas.AiArtifactDto.properties).toEqual(
      expect.objectContaining({ id: expect.anything(), kind: expect.anything(), status: expect.anything(), content: expect.anything(), provider: expect.anything(), model: expect.anything(), requestedBy: expect.anything(), approvedBy: expect.anything(), messageId: expect.anything(), sources: expect.anything() }),
    );
  });

  it('privacy: the access document lists the contact’s artifacts and an erasure (any scope) deletes them', async () => {
    const { from, conversation } = await emailConversation('Please delete my data after answering.');
    const draft = await readyDraft(t, owner, conversation.id);
    const contact = await contactWith(t, owner, from);
    // The app runs in its own module registry: its classes are found by name, not by the test's imports.
    const byName = <T>(name: string): T => {
      const modules = [...(t.app as any).container.getModules().values()];
      for (const m of modules) for (const [key, wrapper] of m.providers) if ((typeof key === 'function' ? key.name : key) === name) return wrapper.instance as T;
      throw new Error(`no provider ${name}`);
    };
    const holder = byName<{ list(): { name: string; erasureOrder: number; collect(em: unknown, s: unknown): Promise<any>; erase(em: unknown, s: unknown): Promise<number> }[] }>('PersonalDataRegistry')
      .list()
      .find((h) => h.name === 'aiArtifacts')!;
    expect(holder.erasureOrder).toBe(10);
    const em = byName<{ fork(): unknown }>('EntityManager').fork();
    const subject = { workspaceId: owner.workspaceId, contactId: contact.id, channelType: 'whatsapp' };
    expect((await holder.collect(em, subject)).map((a: Json) => a.id)).toEqual([draft.id]);
    expect(await holder.erase(em, subject)).toBe(1);
    expectProblem(await t.http().get(ws(`/ai/artifacts/${draft.id}`)).set(owner.auth), 404, 'not_found');
    expect(await holder.erase(em, subject)).toBe(0);
  });

  it("another workspace's artifact answers 404", async () => {
    const { conversation } = await emailConversation('Hello?');
    const draft = await readyDraft(t, owner, conversation.id);
    const stranger = await signup(t, 'stranger');
    const other = `/v1/workspaces/${stranger.workspaceId}/ai/artifacts/${draft.id}`;
    expectProblem(await t.http().get(other).set(stranger.auth), 404, 'not_found');
    expectProblem(await t.http().post(`${other}/approve`).set(stranger.auth).send({}), 404, 'not_found');
    expectProblem(await t.http().get(ws(`/ai/artifacts/${draft.id}`)).set(stranger.auth), 404, 'not_found');
  });
});
