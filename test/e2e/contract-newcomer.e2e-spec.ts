import { apiKey, memberWithRole, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

/** Issue 11 item 14: a newcomer finds their workspaces and the docs. */
describe('contract: a newcomer finds their way', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  }, 30_000);
  afterAll(() => t.close());

  it('GET /v1/workspaces lists the caller’s workspaces with their role, keyset-paginated', async () => {
    const person = await signup(t, 'newcomer');
    const second = (await t.http().post('/v1/workspaces').set(person.auth).send({ name: 'Second' }).expect(201)).body;
    const other = await signup(t, 'other');
    const asAgent = await memberWithRole(t, other, 'agent');
    // memberWithRole makes a new person; the newcomer also joins `other` as viewer.
    await t.http().post(`/v1/workspaces/${other.workspaceId}/members`).set(other.auth).send({ email: person.email, role: 'viewer' }).expect(201);

    const all = (await t.http().get('/v1/workspaces').set(person.auth).expect(200)).body;
    expect(all.nextCursor).toBeNull();
    expect(all.data.map((w: { id: string; role: string }) => [w.id, w.role]).sort()).toEqual(
      [[person.workspaceId, 'owner'], [second.id, 'owner'], [other.workspaceId, 'viewer']].sort(),
    );
    expect(all.data[0]).toEqual({ id: expect.any(String), name: expect.any(String), status: 'active', role: expect.any(String), roleId: expect.any(String) });

    const first = (await t.http().get('/v1/workspaces?limit=2').set(person.auth).expect(200)).body;
    expect(first.data).toHaveLength(2);
    const rest = (await t.http().get(`/v1/workspaces?limit=2&cursor=${first.nextCursor}`).set(person.auth).expect(200)).body;
    expect([...first.data, ...rest.data]).toEqual(all.data);
    expect(rest.nextCursor).toBeNull();

    expect((await t.http().get('/v1/workspaces').set(asAgent.auth).expect(200)).body.data).toEqual([expect.objectContaining({ id: other.workspaceId, role: 'agent' })]);
    expectProblem(await t.http().get('/v1/workspaces?limit=0').set(person.auth), 400, 'validation_failed');
    expectProblem(await t.http().get('/v1/workspaces'), 401, 'unauthorized');
    const key = await apiKey(t, person, 'viewer');
    expectProblem(await t.http().get('/v1/workspaces').set(key.headers), 403, 'forbidden');
  });

  it('documents GET /v1/workspaces with its page schema', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const op = doc.paths['/v1/workspaces'].get;
    expect(op.responses['200'].content['application/json'].schema.$ref).toMatch(/MyWorkspacesPageDto$/);
  });

  it('serves Swagger UI at /docs/ like /docs', async () => {
    const plain = await t.http().get('/docs');
    const slash = await t.http().get('/docs/');
    expect(plain.status).toBe(200);
    expect(slash.status).toBe(200);
    expect(slash.text).toContain('swagger');
  });
});
