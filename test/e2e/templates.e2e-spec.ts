import type { SandboxTemplateStore } from '../../src/modules/sandbox';
import { DEFAULT_SANDBOX_TEMPLATES, SANDBOX_TEMPLATES } from '../../src/modules/sandbox';
import { connectEmail, connectTelegram, connectWhatsapp } from '../utils/channels';
import { Account, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

const template = (overrides: Record<string, unknown> = {}) => ({
  name: 'shipping_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [{ type: 'BODY', text: 'Your order {{1}} ships {{2}}.' }],
  status: 'approved',
  ...overrides,
});

describe('WhatsApp message templates', () => {
  let t: TestApp;
  let owner: Account;
  let sandboxTemplates: SandboxTemplateStore;
  const path = (who: Account, channelId: string, suffix = '') => `/v1/workspaces/${who.workspaceId}/channels/${channelId}/templates${suffix}`;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    sandboxTemplates = t.app.get<SandboxTemplateStore>(SANDBOX_TEMPLATES);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.http().post('/sandbox/reset').expect(204);
  });

  it('creates (201), refuses a duplicate name+language (409), and lists by name and language', async () => {
    const wa = await connectWhatsapp(t, owner);
    const created = await t.http().post(path(owner, wa.id)).set(owner.auth).send(template()).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      channelId: wa.id,
      name: 'shipping_update',
      language: 'en_US',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Your order {{1}} ships {{2}}.' }],
      status: 'approved',
      updatedAt: expect.any(String),
    });
    const dup = await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ status: 'pending' })).expect(409);
    expect(dup.body.code).toBe('conflict');
    // Same name in another language, and the same name on another channel, are different templates.
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ language: 'de' })).expect(201);
    const other = await connectWhatsapp(t, owner);
    await t.http().post(path(owner, other.id)).set(owner.auth).send(template()).expect(201);
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ name: 'account_notice', category: 'MARKETING', status: 'pending' })).expect(201);

    const list = await t.http().get(path(owner, wa.id)).set(owner.auth).expect(200);
    expect(list.body.data.map((x: { name: string; language: string; status: string }) => [x.name, x.language, x.status])).toEqual([
      ['account_notice', 'en_US', 'pending'],
      ['shipping_update', 'de', 'approved'],
      ['shipping_update', 'en_US', 'approved'],
    ]);
    expect((await t.http().get(path(owner, other.id)).set(owner.auth).expect(200)).body.data).toHaveLength(1);
  });

  it('reads, updates and deletes one template by id', async () => {
    const wa = await connectWhatsapp(t, owner);
    const created = (await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ status: 'pending' })).expect(201)).body;
    expect((await t.http().get(path(owner, wa.id, `/${created.id}`)).set(owner.auth).expect(200)).body).toEqual(created);

    const components = [{ type: 'BODY', text: 'Order {{1}} is on its way.' }];
    const patched = await t.http().patch(path(owner, wa.id, `/${created.id}`)).set(owner.auth).send({ status: 'approved', components }).expect(200);
    expect(patched.body).toEqual({ ...created, status: 'approved', components, updatedAt: expect.any(String) });
    expect((await t.http().get(path(owner, wa.id, `/${created.id}`)).set(owner.auth).expect(200)).body).toEqual(patched.body);

    // Name and language identify the template at Meta; unknown fields and bad values are refused.
    const bad = await t.http().patch(path(owner, wa.id, `/${created.id}`)).set(owner.auth).send({ name: 'renamed', status: 'live' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'status']));

    await t.http().delete(path(owner, wa.id, `/${created.id}`)).set(owner.auth).expect(204);
    expect((await t.http().get(path(owner, wa.id, `/${created.id}`)).set(owner.auth).expect(404)).body.code).toBe('not_found');
    await t.http().delete(path(owner, wa.id, `/${created.id}`)).set(owner.auth).expect(404);
    expect((await t.http().get(path(owner, wa.id)).set(owner.auth).expect(200)).body.data).toEqual([]);
    // The name is free again once deleted.
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template()).expect(201);
  });

  it('answers 404 for a template addressed through another channel, or by a malformed id', async () => {
    const wa = await connectWhatsapp(t, owner);
    const other = await connectWhatsapp(t, owner);
    const created = (await t.http().post(path(owner, wa.id)).set(owner.auth).send(template()).expect(201)).body;
    await t.http().get(path(owner, other.id, `/${created.id}`)).set(owner.auth).expect(404);
    await t.http().patch(path(owner, other.id, `/${created.id}`)).set(owner.auth).send({ status: 'paused' }).expect(404);
    await t.http().delete(path(owner, other.id, `/${created.id}`)).set(owner.auth).expect(404);
    await t.http().get(path(owner, wa.id, '/not-a-uuid')).set(owner.auth).expect(404);
    expect((await t.http().get(path(owner, wa.id, `/${created.id}`)).set(owner.auth).expect(200)).body.status).toBe('approved');
  });

  it('documents every template route with its permission, and what sync stores', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, { 'x-permission'?: string; description?: string }>> };
    const base = '/v1/workspaces/{wid}/channels/{channelId}/templates';
    const permissions = (p: string) => Object.fromEntries(Object.entries(doc.paths[p] ?? {}).map(([method, op]) => [method, op['x-permission']]));
    expect(permissions(base)).toEqual({ get: 'read Template', post: 'create Template' });
    expect(permissions(`${base}/{templateId}`)).toEqual({ get: 'read Template', patch: 'update Template', delete: 'delete Template' });
    expect(permissions(`${base}/sync`)).toEqual({ post: 'update Template' });
    expect(doc.paths[`${base}/sync`].post.description).toMatch(/every template.*status.*only approved/is);
  });

  it('validates the body with field errors', async () => {
    const wa = await connectWhatsapp(t, owner);
    const res = await t.http().post(path(owner, wa.id)).set(owner.auth).send({ ...template({ name: 'Not Valid', status: 'live' }), extra: true }).expect(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(expect.arrayContaining(['name', 'status', 'extra']));
    expect((await t.http().get(path(owner, wa.id)).set(owner.auth).expect(200)).body.data).toEqual([]);
  });

  it("syncs the WhatsApp Business Account's templates: adds the sandbox defaults and updates a known one's status", async () => {
    const wa = await connectWhatsapp(t, owner);
    // Known locally as pending (e.g. recorded before Meta approved it), plus one Meta does not know.
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ name: 'order_update', status: 'pending', components: [] })).expect(201);
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ name: 'local_only', status: 'pending' })).expect(201);

    const res = await t.http().post(path(owner, wa.id, '/sync')).set(owner.auth).expect(200);
    expect(res.body.synced).toBe(DEFAULT_SANDBOX_TEMPLATES.length);
    const byName = Object.fromEntries(res.body.data.map((x: { name: string }) => [x.name, x]));
    expect(Object.keys(byName).sort()).toEqual(['local_only', 'order_update', 'welcome']);
    for (const remote of DEFAULT_SANDBOX_TEMPLATES) {
      expect(byName[remote.name]).toMatchObject({ language: remote.language, category: remote.category, status: 'approved', components: remote.components });
    }
    expect(byName.local_only.status).toBe('pending');
    const listed = (await t.http().get(path(owner, wa.id)).set(owner.auth).expect(200)).body.data;
    expect(listed).toEqual(res.body.data);

    // The Graph API was asked with the channel's access token for its WABA's templates.
    const recorded = (await t.http().get('/sandbox/requests?provider=whatsapp').expect(200)).body.data as { method: string; path: string }[];
    expect(recorded.some((r) => r.method === 'GET' && r.path.includes(`/${wa.body.config.businessAccountId}/message_templates`))).toBe(true);

    // Meta pauses one and adds another: a second sync updates the status and adds the new one, without duplicates.
    sandboxTemplates.add({ ...DEFAULT_SANDBOX_TEMPLATES[1], status: 'PAUSED' });
    sandboxTemplates.add({ name: 'promo_spring', language: 'de', category: 'MARKETING', status: 'PENDING', components: [{ type: 'BODY', text: 'Frühling!' }] });
    const again = await t.http().post(path(owner, wa.id, '/sync')).set(owner.auth).expect(200);
    expect(again.body.synced).toBe(3);
    expect(again.body.data.map((x: { name: string; language: string; status: string }) => [x.name, x.language, x.status])).toEqual([
      ['local_only', 'en_US', 'pending'],
      ['order_update', 'en_US', 'approved'],
      ['promo_spring', 'de', 'pending'],
      ['welcome', 'en_US', 'paused'],
    ]);
  });

  it('pages the list by name and language with an opaque cursor', async () => {
    const wa = await connectWhatsapp(t, owner);
    const keys = [['alpha', 'en_US'], ['alpha', 'es'], ['beta', 'de'], ['gamma', 'en_US'], ['gamma', 'fr']];
    for (const [name, language] of [...keys].reverse()) await t.http().post(path(owner, wa.id)).set(owner.auth).send(template({ name, language })).expect(201);
    const seen: string[][] = [];
    let cursor: string | null = null;
    const sizes: number[] = [];
    do {
      const page: { body: { data: { name: string; language: string }[]; nextCursor: string | null } } = await t
        .http()
        .get(path(owner, wa.id))
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(owner.auth)
        .expect(200);
      sizes.push(page.body.data.length);
      seen.push(...page.body.data.map((x) => [x.name, x.language]));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(keys);
    await t.http().get(path(owner, wa.id)).query({ limit: 0 }).set(owner.auth).expect(400);
    const bad = await t.http().get(path(owner, wa.id)).query({ cursor: 'not-a-cursor' }).set(owner.auth).expect(400);
    expect(bad.body.code).toBe('validation_failed');
  });

  it('pulls every page of a large template list', async () => {
    const wa = await connectWhatsapp(t, owner);
    sandboxTemplates.seed(Array.from({ length: 130 }, (_, i) => ({ name: `bulk_${String(i).padStart(3, '0')}`, language: 'en_US', components: [{ type: 'BODY', text: `Template ${i}` }] })));
    const res = await t.http().post(path(owner, wa.id, '/sync')).set(owner.auth).expect(200);
    expect(res.body.synced).toBe(130);
    expect(res.body.data).toHaveLength(130);
    expect(new Set(res.body.data.map((x: { name: string }) => x.name)).size).toBe(130);
  });

  it('answers 502 when the Graph API cannot list templates, and keeps the local ones', async () => {
    const wa = await connectWhatsapp(t, owner);
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template()).expect(201);
    await t.http().post('/sandbox/faults').send({ provider: 'whatsapp', status: 400, match: 'message_templates', times: 1 }).expect(201);
    const res = await t.http().post(path(owner, wa.id, '/sync')).set(owner.auth).expect(502);
    expect(res.body.code).toBe('service_unavailable');
    expect((await t.http().get(path(owner, wa.id)).set(owner.auth).expect(200)).body.data.map((x: { name: string }) => x.name)).toEqual(['shipping_update']);
  });

  it('answers 409 for templates on email and Telegram channels', async () => {
    const email = await connectEmail(t, owner);
    const tg = await connectTelegram(t, owner);
    for (const channel of [email, tg]) {
      for (const res of [
        await t.http().get(path(owner, channel.id)).set(owner.auth),
        await t.http().post(path(owner, channel.id)).set(owner.auth).send(template()),
        await t.http().post(path(owner, channel.id, '/sync')).set(owner.auth),
      ]) {
        expect([res.status, res.body.code]).toEqual([409, 'conflict']);
      }
    }
  });

  it('answers 404 for another workspace’s channel', async () => {
    const stranger = await signup(t, 'stranger');
    const theirs = await connectWhatsapp(t, stranger);
    await t.http().get(path(owner, theirs.id)).set(owner.auth).expect(404);
    await t.http().post(path(owner, theirs.id)).set(owner.auth).send(template()).expect(404);
    await t.http().post(path(owner, theirs.id, '/sync')).set(owner.auth).expect(404);
    // Their template, through their channel or through one of ours, is 404 for every verb and untouched.
    const ours = await connectWhatsapp(t, owner);
    const theirTemplate = (await t.http().post(path(stranger, theirs.id)).set(stranger.auth).send(template()).expect(201)).body;
    for (const channelId of [theirs.id, ours.id]) {
      const at = path(owner, channelId, `/${theirTemplate.id}`);
      for (const res of [
        await t.http().get(at).set(owner.auth),
        await t.http().patch(at).set(owner.auth).send({ status: 'disabled' }),
        await t.http().delete(at).set(owner.auth),
      ]) {
        expect([res.status, res.body.code]).toEqual([404, 'not_found']);
      }
    }
    expect((await t.http().get(path(stranger, theirs.id, `/${theirTemplate.id}`)).set(stranger.auth).expect(200)).body).toEqual(theirTemplate);
  });

  it('lets an agent read templates but not create or sync them (403)', async () => {
    const wa = await connectWhatsapp(t, owner);
    await t.http().post(path(owner, wa.id)).set(owner.auth).send(template()).expect(201);
    const agent = await memberWithRole(t, owner, 'agent');
    const read = await t.http().get(path(agent, wa.id)).set(agent.auth).expect(200);
    expect(read.body.data.map((x: { name: string }) => x.name)).toEqual(['shipping_update']);
    const create = await t.http().post(path(agent, wa.id)).set(agent.auth).send(template({ name: 'agent_made' })).expect(403);
    expect(create.body.code).toBe('forbidden');
    expect((await t.http().post(path(agent, wa.id, '/sync')).set(agent.auth).expect(403)).body.code).toBe('forbidden');
    const one = read.body.data[0];
    expect((await t.http().get(path(agent, wa.id, `/${one.id}`)).set(agent.auth).expect(200)).body).toEqual(one);
    expect((await t.http().patch(path(agent, wa.id, `/${one.id}`)).set(agent.auth).send({ status: 'paused' }).expect(403)).body.code).toBe('forbidden');
    expect((await t.http().delete(path(agent, wa.id, `/${one.id}`)).set(agent.auth).expect(403)).body.code).toBe('forbidden');
    // A viewer cannot read them at all.
    const viewer = await memberWithRole(t, owner, 'viewer');
    expect((await t.http().get(path(viewer, wa.id)).set(viewer.auth).expect(403)).body.code).toBe('forbidden');
    expect((await t.http().get(path(viewer, wa.id, `/${one.id}`)).set(viewer.auth).expect(403)).body.code).toBe('forbidden');
    expect((await t.http().get(path(owner, wa.id)).set(owner.auth).expect(200)).body.data).toEqual([one]);
  });
});
