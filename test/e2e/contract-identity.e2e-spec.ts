import { connectEmail } from '../utils/channels';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

/** Issue 11 items 1 and 2: name-only contacts and free-text sources. */
describe('contract: contacts without identifiers, free-text sources', () => {
  let t: TestApp;
  let owner: Account;
  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t, 'contract-identity');
  }, 30_000);
  afterAll(() => t.close());

  const createContact = async (body: object) => (await t.http().post(ws('/contacts')).set(owner.auth).send(body).expect(201)).body;

  it('creates a name-only contact, with identifiers absent or empty, and adds identifiers later', async () => {
    const absent = await createContact({ name: 'Ana Lead' });
    const empty = await createContact({ name: 'Ana Lead', identifiers: [] });
    expect(absent).toMatchObject({ name: 'Ana Lead', identifiers: [] });
    expect(empty).toMatchObject({ name: 'Ana Lead', identifiers: [] });
    expect((await t.http().get(ws(`/contacts/${absent.id}`)).set(owner.auth).expect(200)).body.identifiers).toEqual([]);

    const found = (await t.http().get(ws('/contacts?query=Ana%20Lead')).set(owner.auth).expect(200)).body.data.map((c: { id: string }) => c.id);
    expect(found).toEqual(expect.arrayContaining([absent.id, empty.id]));
    const search = await t.http().get(ws('/search?q=Ana')).set(owner.auth);
    expect(search.status).toBe(200);
    expect((await t.http().get(ws('/contacts/duplicates')).set(owner.auth)).status).toBe(200);

    const added = (await t.http().post(ws(`/contacts/${absent.id}/identifiers`)).set(owner.auth).send({ kind: 'email', value: 'ana@lead.example' }).expect(201)).body;
    expect(added.identifiers).toEqual([expect.objectContaining({ kind: 'email', value: 'ana@lead.example', source: 'api', verified: false })]);
  });

  it('merges and un-merges contacts that have no identifiers', async () => {
    const target = await createContact({ name: 'Bo' });
    const source = await createContact({ name: 'Bo' });
    const merged = (await t.http().post(ws(`/contacts/${target.id}/merge`)).set(owner.auth).send({ sourceContactId: source.id }).expect(200)).body;
    expect(merged).toMatchObject({ id: target.id, identifiers: [] });
    expectProblem(await t.http().get(ws(`/contacts/${source.id}`)).set(owner.auth), 404, 'not_found');
    const [merge] = (await t.http().get(ws(`/contacts/${target.id}/merges`)).set(owner.auth).expect(200)).body.data;
    await t.http().post(ws(`/contacts/${target.id}/merges/${merge.id}/undo`)).set(owner.auth).expect((r) => expect(r.status).toBeLessThan(300));
    await t.http().get(ws(`/contacts/${source.id}`)).set(owner.auth).expect(200);
  });

  it('refuses a send to a contact without identifiers with 422 recipient_unreachable', async () => {
    const email = await connectEmail(t, owner);
    const contact = await createContact({ name: 'No Address' });
    const res = await t.http().post(ws('/messages')).set(owner.auth).send({ contactId: contact.id, channelId: email.id, subject: 'Hi', text: 'Hello' });
    expectProblem(res, 422, 'recipient_unreachable');
  });

  it('records any short consent source as given, trimmed', async () => {
    const contact = await createContact({ name: 'Consenting' });
    const record = (source: unknown) => t.http().post(ws(`/contacts/${contact.id}/consents`)).set(owner.auth).send({ channelType: 'email', status: 'opted_in', source });
    for (const source of ['web_form', 'phone_call', 'Checkout checkbox', 'formulaire papier é']) {
      expect((await record(source).expect(201)).body.source).toBe(source);
    }
    expect((await record('  trimmed  ').expect(201)).body.source).toBe('trimmed');
    for (const bad of ['', '   ', 'x'.repeat(65), 42, 'line\nbreak']) expectProblem(await record(bad), 400, 'validation_failed');
    expect((await record('x'.repeat(64)).expect(201)).body.source).toHaveLength(64);
  });

  it('accepts a free-text identifier source, default api', async () => {
    const contact = await createContact({ name: 'Card', identifiers: [{ kind: 'phone', value: '+447700900999', source: ' business_card ' }, { kind: 'telegram', value: '99887766' }] });
    const sources = Object.fromEntries(contact.identifiers.map((i: { kind: string; source: string }) => [i.kind, i.source]));
    expect(sources).toEqual({ phone: 'business_card', telegram: 'api' });
    expectProblem(await t.http().post(ws('/contacts')).set(owner.auth).send({ identifiers: [{ kind: 'telegram', value: '1234', source: '' }] }), 400, 'validation_failed');
  });

  it('documents the accepted shapes in OpenAPI', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const schemas = doc.components.schemas;
    expect(schemas.CreateContactDto.required ?? []).not.toContain('identifiers');
    expect(schemas.RecordConsentDto.properties.source).toMatchObject({ type: 'string', maxLength: 64 });
    expect(schemas.RecordConsentDto.properties.source.enum).toBeUndefined();
    expect(schemas.RecordConsentDto.properties.source.description).toMatch(/web_form/);
    expect(schemas.IdentifierInputDto.properties.source).toMatchObject({ type: 'string' });
  });

  it('documents the html field of sends with its (absent) sanitizing', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const html = doc.components.schemas.SendMessageDto?.properties?.html ?? doc.components.schemas.SendContentDto?.properties?.html;
    expect(html).toMatchObject({ type: 'string', maxLength: 5 * 1024 * 1024 });
    expect(html.description).toMatch(/Not sanitized/);
  });
});
