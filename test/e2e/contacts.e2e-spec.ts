import { sql } from '../utils/db';
import { Account, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { Creds, expectProblem } from '../utils/workspace-fixtures';

interface Identifier {
  id: string;
  kind: string;
  value: string;
  verified: boolean;
  source: string;
}

interface ContactBody {
  id: string;
  name: string | null;
  identifiers: Identifier[];
  processingRestricted: boolean;
  createdAt: string;
  lastSeenAt: string | null;
}

describe('contacts (identity)', () => {
  let t: TestApp;
  let owner: Account;
  let agent: Account;
  let viewer: Account;

  const url = (a: Account, rest = '') => `/v1/workspaces/${a.workspaceId}/contacts${rest}`;

  /** A new person with their own workspace that reads national numbers as British. */
  async function britishWorkspace(tag: string): Promise<Account> {
    const account = await signup(t, tag);
    await t.http().patch(`/v1/workspaces/${account.workspaceId}`).set(account.auth).send({ settings: { defaultCountry: 'GB' } }).expect(200);
    return account;
  }

  async function create(a: Account, body: object, creds: Creds = a.auth): Promise<ContactBody> {
    return (await t.http().post(url(a)).set(creds).send(body).expect(201)).body;
  }

  const get = async (a: Account, id: string, creds: Creds = a.auth): Promise<ContactBody> => (await t.http().get(url(a, `/${id}`)).set(creds).expect(200)).body;

  const valuesOf = (c: ContactBody) => c.identifiers.map((i) => `${i.kind}:${i.value}`).sort();

  async function auditActions(a: Account): Promise<{ action: string; subjectId: string }[]> {
    return (await t.http().get(`/v1/workspaces/${a.workspaceId}/audit-events?limit=200`).set(a.auth).expect(200)).body.data;
  }

  beforeAll(async () => {
    t = await startApp();
    owner = await britishWorkspace('contacts');
    agent = await memberWithRole(t, owner, 'agent');
    viewer = await memberWithRole(t, owner, 'viewer');
  }, 30_000);
  afterAll(() => t.close());

  it('creates a contact with normalized identifiers, reads, lists and corrects it', async () => {
    const created = await create(owner, {
      name: ' Jane Doe ',
      identifiers: [
        { kind: 'email', value: ' Jane@Example.COM ' },
        { kind: 'phone', value: '07700 900123' },
        { kind: 'telegram', value: '123456789' },
      ],
    });
    expect(created).toMatchObject({ name: 'Jane Doe', processingRestricted: false, lastSeenAt: null, createdAt: expect.any(String) });
    expect(created.identifiers).toEqual([
      expect.objectContaining({ kind: 'email', value: 'jane@example.com', verified: false, source: 'api', id: expect.any(String) }),
      expect.objectContaining({ kind: 'phone', value: '+447700900123', verified: false, source: 'api' }),
      expect.objectContaining({ kind: 'telegram', value: '123456789', verified: false, source: 'api' }),
    ]);
    expect(await get(owner, created.id)).toEqual(created);

    const renamed = (await t.http().patch(url(owner, `/${created.id}`)).set(owner.auth).send({ name: 'Jane Q. Doe', processingRestricted: true }).expect(200)).body;
    expect(renamed).toMatchObject({ id: created.id, name: 'Jane Q. Doe', processingRestricted: true });
    const cleared = (await t.http().patch(url(owner, `/${created.id}`)).set(owner.auth).send({ name: null }).expect(200)).body;
    expect(cleared).toMatchObject({ name: null, processingRestricted: true });
    expectProblem(await t.http().patch(url(owner, `/${created.id}`)).set(owner.auth).send({ processingRestricted: null }), 400, 'validation_failed');

    const list = (await t.http().get(url(owner)).set(owner.auth).expect(200)).body;
    expect(list.data.map((c: ContactBody) => c.id)).toContain(created.id);

    const withWhatsapp = (await t.http().post(url(owner, `/${created.id}/identifiers`)).set(owner.auth).send({ kind: 'whatsapp', value: '+44 7700 900123' }).expect(201)).body;
    expect(valuesOf(withWhatsapp)).toEqual(['email:jane@example.com', 'phone:+447700900123', 'telegram:123456789', 'whatsapp:447700900123']);
    const again = (await t.http().post(url(owner, `/${created.id}/identifiers`)).set(owner.auth).send({ kind: 'whatsapp', value: '447700900123' }).expect(201)).body;
    expect(again.identifiers).toHaveLength(4);

    const telegram = withWhatsapp.identifiers.find((i: Identifier) => i.kind === 'telegram')!;
    await t.http().delete(url(owner, `/${created.id}/identifiers/${telegram.id}`)).set(owner.auth).expect(204);
    expect(valuesOf(await get(owner, created.id))).toEqual(['email:jane@example.com', 'phone:+447700900123', 'whatsapp:447700900123']);
    expectProblem(await t.http().delete(url(owner, `/${created.id}/identifiers/${telegram.id}`)).set(owner.auth), 404, 'not_found');

    const actions = (await auditActions(owner)).filter((e) => e.subjectId === created.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.created', 'contact.updated', 'contact.identifier_added', 'contact.identifier_removed']));
  });

  it('answers 409 conflict when an identifier belongs to another contact', async () => {
    const first = await create(owner, { identifiers: [{ kind: 'email', value: 'taken@example.com' }] });
    const res = await t.http().post(url(owner)).set(owner.auth).send({ name: 'Copycat', identifiers: [{ kind: 'phone', value: '+44 7700 900999' }, { kind: 'email', value: ' TAKEN@example.com' }] });
    expectProblem(res, 409, 'conflict');
    expect(res.body).toMatchObject({ field: 'identifiers[1].value', contactId: first.id });
    // Nothing of the refused contact was kept.
    expect((await t.http().get(url(owner)).query({ query: '7700900999' }).set(owner.auth).expect(200)).body.data).toEqual([]);

    const other = await create(owner, { identifiers: [{ kind: 'telegram', value: '42424242' }] });
    const added = await t.http().post(url(owner, `/${other.id}/identifiers`)).set(owner.auth).send({ kind: 'email', value: 'Taken@Example.com' });
    expectProblem(added, 409, 'conflict');
    expect(added.body.field).toBe('value');

    // The same value twice in one request is one identifier.
    const twice = await create(owner, { identifiers: [{ kind: 'email', value: 'twice@example.com' }, { kind: 'email', value: 'TWICE@example.com' }] });
    expect(valuesOf(twice)).toEqual(['email:twice@example.com']);
  });

  it('answers 400 validation_failed naming the field of an invalid value', async () => {
    const res = await t.http().post(url(owner)).set(owner.auth).send({ identifiers: [{ kind: 'email', value: 'fine@example.com' }, { kind: 'phone', value: 'not a phone' }, { kind: 'email', value: 'nope@' }] });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual([
      { field: 'identifiers[1].value', message: expect.any(String) },
      { field: 'identifiers[2].value', message: expect.any(String) },
    ]);
    const badKind = await t.http().post(url(owner)).set(owner.auth).send({ identifiers: [{ kind: 'fax', value: '123' }] });
    expectProblem(badKind, 400, 'validation_failed');
    expect(badKind.body.errors).toEqual([expect.objectContaining({ field: 'identifiers[0].kind' })]);
    for (const body of [{}, { name: '  ', identifiers: [] }, { identifiers: [{ kind: 'email', value: 'a@b.example' }], extra: true }, { identifiers: [{ kind: 'telegram', value: '@handle' }] }]) {
      expectProblem(await t.http().post(url(owner)).set(owner.auth).send(body), 400, 'validation_failed');
    }
    const contact = await create(owner, { identifiers: [{ kind: 'telegram', value: '77777777' }] });
    const added = await t.http().post(url(owner, `/${contact.id}/identifiers`)).set(owner.auth).send({ kind: 'phone', value: '12' });
    expectProblem(added, 400, 'validation_failed');
    expect(added.body.errors).toEqual([{ field: 'value', message: expect.any(String) }]);
  });

  it('searches names and identifier fragments, newest first, keyset-paginated, without merged-away contacts', async () => {
    const ws = await britishWorkspace('search');
    const alice = await create(ws, { name: 'Alice Archer', identifiers: [{ kind: 'phone', value: '07700 900111' }] });
    const bob = await create(ws, { name: 'Bob Baker', identifiers: [{ kind: 'email', value: 'bob@shop.example' }] });
    const alina = await create(ws, { name: 'alina', identifiers: [{ kind: 'telegram', value: '31337' }] });
    const search = async (query: string, extra: Record<string, string> = {}, creds: Creds = ws.auth) =>
      (await t.http().get(url(ws)).query({ query, ...extra }).set(creds).expect(200)).body;
    const ids = async (query: string) => (await search(query)).data.map((c: ContactBody) => c.id);

    expect(await ids('ALI')).toEqual([alina.id, alice.id]);
    expect(await ids('900111')).toEqual([alice.id]);
    expect(await ids('07700 900111')).toEqual([alice.id]);
    expect(await ids('shop.example')).toEqual([bob.id]);
    expect(await ids('31337')).toEqual([alina.id]);
    expect(await ids('%')).toEqual([]);
    expect((await t.http().get(url(ws)).set(ws.auth).expect(200)).body.data.map((c: ContactBody) => c.id)).toEqual([alina.id, bob.id, alice.id]);

    const first = await search('a', { limit: '2' });
    expect(first.data.map((c: ContactBody) => c.id)).toEqual([alina.id, bob.id]);
    const second = await search('a', { limit: '2', cursor: first.nextCursor });
    expect(second).toEqual({ data: [expect.objectContaining({ id: alice.id })], nextCursor: null });
    const unfiltered = (await t.http().get(url(ws)).query({ limit: '1' }).set(ws.auth).expect(200)).body;
    expect(unfiltered.data).toHaveLength(1);
    expect(unfiltered.nextCursor).toEqual(expect.any(String));
    for (const cursor of ['%%%', Buffer.from('{"id":"x"}').toString('base64url')]) {
      expectProblem(await t.http().get(url(ws)).query({ cursor }).set(ws.auth), 400, 'validation_failed');
    }
    expectProblem(await t.http().get(url(ws)).query({ limit: '500' }).set(ws.auth), 400, 'validation_failed');

    await t.http().post(url(ws, `/${alice.id}/merge`)).set(ws.auth).send({ sourceContactId: alina.id }).expect(200);
    expect(await ids('ali')).toEqual([alice.id]);
    expect(await ids('31337')).toEqual([alice.id]);
  });

  it('masks emails and phone numbers for a caller without read ContactPii', async () => {
    const contact = await create(owner, {
      name: 'Masked Person',
      identifiers: [
        { kind: 'email', value: 'jill@example.com' },
        { kind: 'phone', value: '07700 900456' },
        { kind: 'whatsapp', value: '447700900456' },
        { kind: 'telegram', value: '98765432' },
      ],
    });
    const seen = await get(owner, contact.id, viewer.auth);
    expect(Object.fromEntries(seen.identifiers.map((i) => [i.kind, i.value]))).toEqual({
      email: 'j•••@example.com',
      phone: '+44•••••0456',
      whatsapp: '447•••••0456',
      telegram: '98765432',
    });
    const listed = (await t.http().get(url(owner)).query({ query: 'Masked Person' }).set(viewer.auth).expect(200)).body.data;
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toMatch(/jill@|900456/);
    // Searching by a value the caller may not read would reveal it, one fragment at a time.
    expect((await t.http().get(url(owner)).query({ query: '900456' }).set(viewer.auth).expect(200)).body.data).toEqual([]);
    expect((await t.http().get(url(owner)).query({ query: '900456' }).set(agent.auth).expect(200)).body.data.map((c: ContactBody) => c.id)).toEqual([contact.id]);
    expect(valuesOf(await get(owner, contact.id, agent.auth))).toContain('email:jill@example.com');

    expectProblem(await t.http().post(url(owner)).set(viewer.auth).send({ identifiers: [{ kind: 'telegram', value: '1' }] }), 403, 'forbidden');
    expectProblem(await t.http().patch(url(owner, `/${contact.id}`)).set(viewer.auth).send({ name: 'x' }), 403, 'forbidden');
    expectProblem(await t.http().get(url(owner, `/${contact.id}/consents`)).set(viewer.auth), 403, 'forbidden');
    expectProblem(await t.http().post(url(owner)).set(agent.auth).send({ identifiers: [{ kind: 'telegram', value: '1' }] }), 403, 'forbidden');
  });

  it('keeps consents append-only; per channel the newest entry wins', async () => {
    const contact = await create(owner, { identifiers: [{ kind: 'whatsapp', value: '447700900789' }] });
    const consents = url(owner, `/${contact.id}/consents`);
    const record = async (body: object) => (await t.http().post(consents).set(agent.auth).send(body).expect(201)).body;
    const optIn = await record({ channelType: 'whatsapp', status: 'opted_in', source: 'api', evidence: { form: 'checkout' } });
    expect(optIn).toMatchObject({ contactId: contact.id, channelType: 'whatsapp', status: 'opted_in', source: 'api', evidence: { form: 'checkout' }, actor: { type: 'user', id: agent.userId } });
    const email = await record({ channelType: 'email', status: 'opted_in', source: 'import' });
    const optOut = await record({ channelType: 'whatsapp', status: 'opted_out', source: 'inbound_keyword' });

    const history = (await t.http().get(consents).set(agent.auth).expect(200)).body;
    expect(history.data.map((c: { id: string }) => c.id)).toEqual([optOut.id, email.id, optIn.id]);
    expect(history.nextCursor).toBeNull();
    expect(history.current).toEqual({ whatsapp: optOut, email });
    const paged = (await t.http().get(consents).query({ limit: '1' }).set(agent.auth).expect(200)).body;
    expect(paged.data).toEqual([optOut]);
    expect((await t.http().get(consents).query({ limit: '2', cursor: paged.nextCursor }).set(agent.auth).expect(200)).body.data).toEqual([email, optIn]);

    expectProblem(await t.http().patch(`${consents}/${optIn.id}`).set(owner.auth).send({ status: 'opted_out' }), 404, 'not_found');
    expectProblem(await t.http().delete(`${consents}/${optIn.id}`).set(owner.auth), 404, 'not_found');
    await expect(sql('update contact_consents set status = $1 where id = $2', ['opted_out', optIn.id])).rejects.toThrow(/append-only/);
    expectProblem(await t.http().post(consents).set(agent.auth).send({ channelType: 'sms', status: 'opted_in', source: 'api' }), 400, 'validation_failed');
    expectProblem(await t.http().post(consents).set(agent.auth).send({ channelType: 'email', status: 'maybe', source: 'api' }), 400, 'validation_failed');

    const audited = (await auditActions(owner)).filter((e) => e.action === 'consent.changed' && e.subjectId === contact.id);
    expect(audited).toHaveLength(3);
  });

  it('merges with a journal, answers 404 mergedInto for the source, and undoes exactly what moved', async () => {
    const target = await create(owner, { name: 'Target', identifiers: [{ kind: 'email', value: 'target@example.com' }] });
    const source = await create(owner, { name: 'Source', identifiers: [{ kind: 'phone', value: '07700 900321' }, { kind: 'telegram', value: '11223344' }] });
    const consent = (url: string, body: object) => t.http().post(url).set(owner.auth).send(body).expect(201);
    const targetConsent = (await consent(url(owner, `/${target.id}/consents`), { channelType: 'whatsapp', status: 'opted_in', source: 'api' })).body;
    const sourceConsent = (await consent(url(owner, `/${source.id}/consents`), { channelType: 'email', status: 'opted_out', source: 'provider' })).body;

    const merged = (await t.http().post(url(owner, `/${target.id}/merge`)).set(owner.auth).send({ sourceContactId: source.id }).expect(200)).body;
    expect(merged).toMatchObject({ id: target.id, name: 'Target' });
    expect(valuesOf(merged)).toEqual(['email:target@example.com', 'phone:+447700900321', 'telegram:11223344']);

    for (const [method, path, body] of [
      ['get', '', undefined],
      ['patch', '', { name: 'zombie' }],
      ['get', '/consents', undefined],
      ['post', '/consents', { channelType: 'email', status: 'opted_in', source: 'api' }],
      ['post', '/identifiers', { kind: 'telegram', value: '5' }],
      ['get', '/merges', undefined],
      ['post', '/merge', { sourceContactId: target.id }],
    ] as const) {
      const req = t.http()[method](url(owner, `/${source.id}${path}`)).set(owner.auth);
      const res = await (body ? req.send(body) : req);
      expectProblem(res, 404, 'not_found');
      expect({ route: `${method} ${path}`, mergedInto: res.body.mergedInto }).toEqual({ route: `${method} ${path}`, mergedInto: target.id });
    }
    expect((await t.http().get(url(owner)).query({ query: 'Source' }).set(owner.auth).expect(200)).body.data).toEqual([]);
    const consents = (await t.http().get(url(owner, `/${target.id}/consents`)).set(owner.auth).expect(200)).body;
    expect(consents.data.map((c: { id: string }) => c.id).sort()).toEqual([targetConsent.id, sourceConsent.id].sort());
    expect(consents.current).toMatchObject({ whatsapp: { status: 'opted_in' }, email: { status: 'opted_out' } });

    const journal = (await t.http().get(url(owner, `/${target.id}/merges`)).set(owner.auth).expect(200)).body;
    expect(journal).toEqual({
      data: [{ id: expect.any(String), sourceContactId: source.id, targetContactId: target.id, reason: 'manual', automatic: false, actor: { type: 'user', id: owner.userId }, at: expect.any(String), undoneAt: null }],
      nextCursor: null,
    });
    const mergeId = journal.data[0].id;

    // Added after the merge: stays with the target on undo.
    await t.http().post(url(owner, `/${target.id}/identifiers`)).set(owner.auth).send({ kind: 'whatsapp', value: '447700900654' }).expect(201);
    const later = (await consent(url(owner, `/${target.id}/consents`), { channelType: 'telegram', status: 'opted_in', source: 'api' })).body;

    expectProblem(await t.http().post(url(owner, `/${source.id}/merges/${mergeId}/undo`)).set(owner.auth), 404, 'not_found');
    const undone = (await t.http().post(url(owner, `/${target.id}/merges/${mergeId}/undo`)).set(owner.auth).expect(200)).body;
    expect(undone).toMatchObject({ id: mergeId, undoneAt: expect.any(String) });

    expect(valuesOf(await get(owner, source.id))).toEqual(['phone:+447700900321', 'telegram:11223344']);
    expect(valuesOf(await get(owner, target.id))).toEqual(['email:target@example.com', 'whatsapp:447700900654']);
    expect((await t.http().get(url(owner, `/${source.id}/consents`)).set(owner.auth).expect(200)).body.data).toEqual([sourceConsent]);
    expect((await t.http().get(url(owner, `/${target.id}/consents`)).set(owner.auth).expect(200)).body.data.map((c: { id: string }) => c.id)).toEqual([later.id, targetConsent.id]);

    expectProblem(await t.http().post(url(owner, `/${target.id}/merges/${mergeId}/undo`)).set(owner.auth), 409, 'conflict');
    const sourceJournal = (await t.http().get(url(owner, `/${source.id}/merges`)).set(owner.auth).expect(200)).body.data;
    expect(sourceJournal).toEqual([expect.objectContaining({ id: mergeId, undoneAt: undone.undoneAt })]);

    expectProblem(await t.http().post(url(owner, `/${target.id}/merge`)).set(owner.auth).send({ sourceContactId: target.id }), 400, 'validation_failed');
    expectProblem(await t.http().post(url(owner, `/${target.id}/merge`)).set(owner.auth).send({ sourceContactId: '0190a0a0-0000-7000-8000-000000000000' }), 404, 'not_found');
    expectProblem(await t.http().post(url(owner, `/${target.id}/merge`)).set(owner.auth).send({}), 400, 'validation_failed');
    expectProblem(await t.http().post(url(owner, `/${target.id}/merges/${mergeId}/undo`)).set(viewer.auth), 403, 'forbidden');

    const actions = (await auditActions(owner)).filter((e) => e.subjectId === target.id).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['contact.merged', 'contact.merge_undone']));
  });

  it('undoes chained merges in reverse order only', async () => {
    const a = await create(owner, { identifiers: [{ kind: 'telegram', value: '600001' }] });
    const b = await create(owner, { identifiers: [{ kind: 'telegram', value: '600002' }] });
    const c = await create(owner, { identifiers: [{ kind: 'telegram', value: '600003' }] });
    await t.http().post(url(owner, `/${b.id}/merge`)).set(owner.auth).send({ sourceContactId: a.id }).expect(200);
    const [first] = (await t.http().get(url(owner, `/${b.id}/merges`)).set(owner.auth).expect(200)).body.data;
    await t.http().post(url(owner, `/${c.id}/merge`)).set(owner.auth).send({ sourceContactId: b.id }).expect(200);
    expect(valuesOf(await get(owner, c.id))).toEqual(['telegram:600001', 'telegram:600002', 'telegram:600003']);
    const [second] = (await t.http().get(url(owner, `/${c.id}/merges`)).set(owner.auth).expect(200)).body.data;
    await t.http().post(url(owner, `/${c.id}/merges/${second.id}/undo`)).set(owner.auth).expect(200);
    // Undone in reverse order, each merge gives back what it took.
    await t.http().post(url(owner, `/${b.id}/merges/${first.id}/undo`)).set(owner.auth).expect(200);
    expect(valuesOf(await get(owner, a.id))).toEqual(['telegram:600001']);
    expect(valuesOf(await get(owner, b.id))).toEqual(['telegram:600002']);

    await t.http().post(url(owner, `/${b.id}/merge`)).set(owner.auth).send({ sourceContactId: a.id }).expect(200);
    const [third] = (await t.http().get(url(owner, `/${b.id}/merges`)).set(owner.auth).expect(200)).body.data;
    await t.http().post(url(owner, `/${c.id}/merge`)).set(owner.auth).send({ sourceContactId: b.id }).expect(200);
    // b is merged away now, so its routes answer 404; the merge itself is reachable only through b.
    const res = await t.http().post(url(owner, `/${b.id}/merges/${third.id}/undo`)).set(owner.auth);
    expectProblem(res, 404, 'not_found');
    expect(res.body.mergedInto).toBe(c.id);
  });

  it('suggests duplicates from weak signals and merges none of them', async () => {
    const ws = await britishWorkspace('dupes');
    const sam = await create(ws, { name: 'Sam Smith', identifiers: [{ kind: 'email', value: 'sam@acme.example' }] });
    const samToo = await create(ws, { name: 'sam smith', identifiers: [{ kind: 'email', value: 's.smith@ACME.example' }] });
    await create(ws, { name: 'Sam Smith', identifiers: [{ kind: 'email', value: 'sam@elsewhere.example' }] });
    await create(ws, { name: 'Samantha Smith', identifiers: [{ kind: 'email', value: 'samantha@acme.example' }] });
    const uk = await create(ws, { identifiers: [{ kind: 'phone', value: '07700 900555' }] });
    const us = await create(ws, { identifiers: [{ kind: 'phone', value: '+1 770 090 0555' }] });
    const trunk = await create(ws, { identifiers: [{ kind: 'whatsapp', value: '4407700900555' }] });
    const unrelated = await create(ws, { identifiers: [{ kind: 'phone', value: '07700 900556' }] });

    const res = (await t.http().get(url(ws, '/duplicates')).set(ws.auth).expect(200)).body;
    const pair = (a: ContactBody, b: ContactBody, reason: string) => ({ contactIds: [a.id, b.id], reason });
    expect(res).toEqual({
      data: [pair(sam, samToo, 'same_name_and_email_domain'), pair(uk, us, 'phone_country_code'), pair(uk, trunk, 'phone_trunk_prefix'), pair(us, trunk, 'phone_country_code')],
      nextCursor: null,
    });
    expect(JSON.stringify(res)).not.toContain(unrelated.id);

    const walked: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = (await t.http().get(url(ws, '/duplicates')).query({ limit: '1', ...(cursor ? { cursor } : {}) }).set(ws.auth).expect(200)).body;
      walked.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(walked).toEqual(res.data);

    for (const c of [sam, samToo, uk, us, trunk]) await get(ws, c.id);
    await t.http().post(url(ws, `/${sam.id}/merge`)).set(ws.auth).send({ sourceContactId: samToo.id }).expect(200);
    const after = (await t.http().get(url(ws, '/duplicates')).set(ws.auth).expect(200)).body.data;
    expect(after.map((p: { reason: string }) => p.reason)).toEqual(['phone_country_code', 'phone_trunk_prefix', 'phone_country_code']);
  });

  it("answers 404 for another workspace's contacts and never touches them", async () => {
    const other = await britishWorkspace('other-tenant');
    const theirs = await create(other, { name: 'Their Customer', identifiers: [{ kind: 'email', value: 'shared@example.com' }] });
    // Identifiers are unique per workspace only.
    const ours = await create(owner, { name: 'Our Customer', identifiers: [{ kind: 'email', value: 'shared@example.com' }] });

    for (const [method, path, body] of [
      ['get', '', undefined],
      ['patch', '', { name: 'stolen' }],
      ['get', '/consents', undefined],
      ['post', '/consents', { channelType: 'email', status: 'opted_out', source: 'api' }],
      ['post', '/identifiers', { kind: 'telegram', value: '13' }],
      ['get', '/merges', undefined],
      ['post', '/merge', { sourceContactId: ours.id }],
    ] as const) {
      const req = t.http()[method](url(owner, `/${theirs.id}${path}`)).set(owner.auth);
      const res = await (body ? req.send(body) : req);
      expect({ route: `${method} ${path}`, status: res.status, mergedInto: res.body.mergedInto }).toEqual({ route: `${method} ${path}`, status: 404, mergedInto: undefined });
    }
    expectProblem(await t.http().post(url(owner, `/${ours.id}/merge`)).set(owner.auth).send({ sourceContactId: theirs.id }), 404, 'not_found');
    const theirIdentifier = theirs.identifiers[0].id;
    expectProblem(await t.http().delete(url(owner, `/${ours.id}/identifiers/${theirIdentifier}`)).set(owner.auth), 404, 'not_found');
    expectProblem(await t.http().get(url(other, `/${ours.id}`)).set(owner.auth), 404, 'not_found');
    expect((await t.http().get(url(owner)).query({ query: 'Their Customer' }).set(owner.auth).expect(200)).body.data).toEqual([]);
    expect(await get(other, theirs.id)).toEqual(theirs);
  });
});
