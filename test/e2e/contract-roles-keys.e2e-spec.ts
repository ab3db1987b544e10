import { randomUUID } from 'node:crypto';
import { sql } from '../utils/db';
import { connectEmail } from '../utils/channels';
import { Account, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

const READ_CONTACTS = [{ action: 'read', subject: 'Contact' }];

/** Issue 11 items 3, 4 and 12: display-name roles, API keys that start with their prefix, tenant-first dedupe keys. */
describe('contract: role names, API key prefixes, dedupe index', () => {
  let t: TestApp;
  let owner: Account;
  const ws = (rest: string) => `/v1/workspaces/${owner.workspaceId}${rest}`;
  const createRole = (name: unknown) => t.http().post(ws('/roles')).set(owner.auth).send({ name, permissions: READ_CONTACTS });

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t, 'contract-roles');
  }, 30_000);
  afterAll(() => t.close());

  describe('custom role names are display names', () => {
    it('accepts spaces, capitals and Unicode letters, trimmed', async () => {
      expect((await createRole('Contact reader').expect(201)).body).toMatchObject({ name: 'Contact reader', builtIn: false });
      expect((await createRole('  Équipe Support  ').expect(201)).body.name).toBe('Équipe Support');
      expect((await createRole('サポート').expect(201)).body.name).toBe('サポート');
      expect((await createRole('x'.repeat(50)).expect(201)).body.name).toHaveLength(50);
      expect((await createRole('support-lead').expect(201)).body.name).toBe('support-lead');
    });

    it('refuses empty, overlong and control-character names', async () => {
      for (const bad of ['', '   ', 'x'.repeat(51), 'tab\there', 42, '-leading']) expectProblem(await createRole(bad), 400, 'validation_failed');
    });

    it('is unique per workspace ignoring case, and never a built-in name in any case', async () => {
      await createRole('Billing Team').expect(201);
      expectProblem(await createRole('billing team'), 409, 'conflict');
      expectProblem(await createRole(' BILLING TEAM '), 409, 'conflict');
      for (const builtIn of ['Owner', 'ADMIN', 'Agent', 'viewer']) expectProblem(await createRole(builtIn), 409, 'conflict');
      const other = (await createRole('Renamable').expect(201)).body;
      expectProblem(await t.http().patch(ws(`/roles/${other.id}`)).set(owner.auth).send({ name: 'Admin' }), 409, 'conflict');
      expectProblem(await t.http().patch(ws(`/roles/${other.id}`)).set(owner.auth).send({ name: 'billing TEAM' }), 409, 'conflict');
      expect((await t.http().patch(ws(`/roles/${other.id}`)).set(owner.auth).send({ name: 'Renamed Role' }).expect(200)).body.name).toBe('Renamed Role');
      // The database enforces it too, whatever path writes the row.
      await expect(sql("insert into roles (id, workspace_id, name, built_in, permissions, created_at, updated_at) values ($1, $2, 'RENAMED ROLE', false, '[]', now(), now())", [randomUUID(), owner.workspaceId])).rejects.toThrow(/unique/);
    });

    it('lets members and API keys refer to a role by its name in any case, or by its id', async () => {
      const role = (await createRole('Lead Reader').expect(201)).body;
      const invited = (await t.http().post(ws('/members')).set(owner.auth).send({ email: uniqueEmail('lead'), role: 'lead reader' }).expect(201)).body;
      expect(invited).toMatchObject({ role: 'Lead Reader', roleId: role.id });
      const byId = (await t.http().post(ws('/members')).set(owner.auth).send({ email: uniqueEmail('lead'), role: role.id }).expect(201)).body;
      expect(byId).toMatchObject({ role: 'Lead Reader', roleId: role.id });
      expect((await t.http().patch(ws(`/members/${byId.id}`)).set(owner.auth).send({ role: 'VIEWER' }).expect(200)).body.role).toBe('viewer');
      const key = (await t.http().post(ws('/api-keys')).set(owner.auth).send({ name: 'crm', role: ' Lead Reader ' }).expect(201)).body;
      expect(key).toMatchObject({ role: 'Lead Reader', roleId: role.id });
      await t.http().get(ws('/contacts')).set('X-API-Key', key.key).expect(200);
      expectProblem(await t.http().post(ws('/api-keys')).set(owner.auth).send({ name: 'crm', role: 'No Such Role' }), 400, 'validation_failed');
    });

    it('documents the display-name rules in OpenAPI', async () => {
      const doc = (await t.http().get('/docs-json').expect(200)).body;
      expect(doc.components.schemas.CreateRoleDto.properties.name).toMatchObject({ maxLength: 50, example: 'Support lead' });
      expect(doc.components.schemas.CreateRoleDto.properties.name.pattern).toBeUndefined();
    });
  });

  describe('API keys start with their prefix', () => {
    it('answers a key that begins with the listed prefix and the fixed nz_ lead', async () => {
      const created = (await t.http().post(ws('/api-keys')).set(owner.auth).send({ name: 'vault', role: 'viewer' }).expect(201)).body;
      expect(created.prefix).toMatch(/^nz_[A-Za-z0-9]{12}$/);
      expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);
      const listed = (await t.http().get(ws('/api-keys')).set(owner.auth).expect(200)).body.data.find((k: { id: string }) => k.id === created.id);
      expect(created.key.startsWith(listed.prefix)).toBe(true);
      await t.http().get(ws('')).set('X-API-Key', created.key).expect(200);
      expectProblem(await t.http().get(ws('')).set('X-API-Key', `${created.key}x`), 401, 'unauthorized');
      expectProblem(await t.http().get(ws('')).set('X-API-Key', created.key.replace(/^nz_/, 'nzk_')), 401, 'unauthorized');
    });

    it('keeps authenticating keys issued in the earlier nzk_ format', async () => {
      const created = (await t.http().post(ws('/api-keys')).set(owner.auth).send({ name: 'legacy', role: 'viewer' }).expect(201)).body;
      const secret = created.key.slice(created.prefix.length + 1);
      const legacyPrefix = `nzk_${created.prefix.slice(3)}`;
      // What the migration leaves for a key issued before: its stored prefix with the `nzk_` lead.
      await sql('update api_keys set prefix = $1 where id = $2', [legacyPrefix, created.id]);
      await t.http().get(ws('')).set('X-API-Key', `${legacyPrefix}_${secret}`).expect(200);
    });
  });

  it('lets agents and viewers read channels (id, type, name, status) but never config or webhook', async () => {
    const email = await connectEmail(t, owner);
    const custom = (await t.http().post(ws('/roles')).set(owner.auth).send({ name: 'Channel watcher', permissions: [{ action: 'read', subject: 'Channel' }] }).expect(201)).body;
    for (const role of ['agent', 'viewer', custom.id]) {
      const member = await memberWithRole(t, owner, role);
      const listed = (await t.http().get(ws('/channels')).set(member.auth).expect(200)).body.data;
      const one = (await t.http().get(ws(`/channels/${email.id}`)).set(member.auth).expect(200)).body;
      for (const view of [listed.find((c: { id: string }) => c.id === email.id), one]) {
        expect(view).toMatchObject({ id: email.id, type: 'email', name: email.body.name, status: email.body.status });
        expect(view).not.toHaveProperty('config');
        expect(view).not.toHaveProperty('webhook');
      }
      expectProblem(await t.http().patch(ws(`/channels/${email.id}`)).set(member.auth).send({ name: 'x' }), 403, 'forbidden');
    }
    const admin = await memberWithRole(t, owner, 'admin');
    expect((await t.http().get(ws(`/channels/${email.id}`)).set(admin.auth).expect(200)).body).toMatchObject({ config: expect.any(Object), webhook: expect.any(Object) });
  });

  it('keys webhook_dedupe by workspace first', async () => {
    const [pk] = await sql<{ columns: string[] }>(
      `select array_agg(a.attname::text order by k.ord) as columns
       from pg_index i cross join unnest(i.indkey) with ordinality as k(attnum, ord)
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
       where i.indrelid = 'webhook_dedupe'::regclass and i.indisprimary`,
    );
    expect(pk.columns).toEqual(['workspace_id', 'channel_id', 'key']);
    const indexes = await sql<{ indexdef: string }>("select indexdef from pg_indexes where tablename = 'webhook_dedupe' and indexdef ilike '%unique%'");
    for (const { indexdef } of indexes) expect(indexdef).toMatch(/\(workspace_id,/);
  });
});
