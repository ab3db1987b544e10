import { v7 as uuidv7 } from 'uuid';
import { sql } from '../utils/db';
import { Account, apiKey, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { fillPath, pathParams, routeLabel, sendTo, workspaceRoutes } from '../utils/openapi-routes';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

const DAY_MS = 24 * 3600 * 1000;
/** The only calls API.md allows on a closing workspace. */
const STILL_OPEN = ['GET /v1/workspaces/{wid}', 'POST /v1/workspaces/{wid}/restore'];

describe('closing and restoring a workspace', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const url = (o: Account, rest = '') => `/v1/workspaces/${o.workspaceId}${rest}`;

  it('only an owner may close it: admins, agents and their keys get 403 and nothing changes', async () => {
    const owner = await signup(t, 'closer');
    const admin = await memberWithRole(t, owner, 'admin');
    const agent = await memberWithRole(t, owner, 'agent');
    const adminKey = await apiKey(t, owner, 'admin');
    for (const as of [admin.auth, agent.auth, adminKey.headers]) expectProblem(await t.http().delete(url(owner)).set(as), 403, 'forbidden');
    const ws = await t.http().get(url(owner)).set(owner.auth).expect(200);
    expect(ws.body).toMatchObject({ status: 'active', deletionDueAt: null });
  });

  it('closing answers 202 closing with a deletion date 30 days out; then only GET and restore work', async () => {
    const owner = await signup(t, 'closing');
    const admin = await memberWithRole(t, owner, 'admin');
    const key = await apiKey(t, owner, 'admin');
    const stranger = await signup(t, 'stranger');

    const closed = await t.http().delete(url(owner)).set(owner.auth).expect(202);
    expect(closed.body).toEqual({ status: 'closing', deletionDueAt: expect.any(String) });
    expect(Math.abs(Date.parse(closed.body.deletionDueAt) - (Date.now() + 30 * DAY_MS))).toBeLessThan(60_000);

    const ws = await t.http().get(url(owner)).set(owner.auth).expect(200);
    expect(ws.body).toMatchObject({ id: owner.workspaceId, status: 'closing', deletionDueAt: closed.body.deletionDueAt });
    await t.http().get(url(owner)).set(key.headers).expect(200);

    expectProblem(await t.http().patch(url(owner)).set(owner.auth).send({ name: 'still here?' }), 409, 'workspace_closed');
    expectProblem(await t.http().get(url(owner, '/members')).set(owner.auth), 409, 'workspace_closed');
    expectProblem(await t.http().post(url(owner, '/members')).set(owner.auth).send({ email: uniqueEmail(), role: 'agent' }), 409, 'workspace_closed');
    expectProblem(await t.http().post(url(owner, '/api-keys')).set(owner.auth).send({ name: 'late', role: 'viewer' }), 409, 'workspace_closed');
    expectProblem(await t.http().get(url(owner, '/members')).set(key.headers), 409, 'workspace_closed');
    expectProblem(await t.http().delete(url(owner)).set(owner.auth), 409, 'workspace_closed');

    // Every other documented route, including ones added later.
    const refused = [];
    for (const route of await workspaceRoutes(t)) {
      if (STILL_OPEN.includes(routeLabel(route))) continue;
      const ids = Object.fromEntries(pathParams(route.path).map((p) => [p, p === 'wid' ? owner.workspaceId : uuidv7()]));
      const res = await sendTo(t, route.method, fillPath(route.path, ids), owner.auth);
      refused.push({ route: routeLabel(route), status: res.status, code: res.body?.code });
    }
    expect(refused.filter((r) => r.status !== 409 || r.code !== 'workspace_closed')).toEqual([]);

    // Still no hint to outsiders, and the owner-only rule still holds on restore.
    expectProblem(await t.http().get(url(owner)).set(stranger.auth), 404, 'not_found');
    expectProblem(await t.http().patch(url(owner)).set(stranger.auth).send({ name: 'x' }), 404, 'not_found');
    await t.http().get(url(owner)).set(admin.auth).expect(200);
    expectProblem(await t.http().post(url(owner, '/restore')).set(admin.auth), 403, 'forbidden');
  });

  it('restoring answers 200 active and everything works again; both steps are audited', async () => {
    const owner = await signup(t, 'restorer');
    await t.http().delete(url(owner)).set(owner.auth).expect(202);
    const restored = await t.http().post(url(owner, '/restore')).set(owner.auth).expect(200);
    expect(restored.body).toMatchObject({ id: owner.workspaceId, status: 'active', deletionDueAt: null });

    await t.http().patch(url(owner)).set(owner.auth).send({ name: 'Back in business' }).expect(200);
    await t.http().get(url(owner, '/members')).set(owner.auth).expect(200);
    await t.http().post(url(owner, '/members')).set(owner.auth).send({ email: uniqueEmail(), role: 'agent' }).expect(201);
    expect((await t.http().get(url(owner)).set(owner.auth).expect(200)).body).toMatchObject({ name: 'Back in business', status: 'active' });

    const audit = await t.http().get(url(owner, '/audit-events')).set(owner.auth).expect(200);
    const actions = audit.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['workspace.closed', 'workspace.restored']));
    expect(audit.body.data.find((e: { action: string }) => e.action === 'workspace.closed')).toMatchObject({
      actor: { type: 'user', id: owner.userId },
      subjectType: 'Workspace',
      subjectId: owner.workspaceId,
    });
  });

  it('updating changes only the fields sent and refuses to null the required ones', async () => {
    const owner = await signup(t, 'settings');
    await t.http().patch(url(owner)).set(owner.auth).send({ businessName: 'Acme Ltd' }).expect(200);
    const res = await t.http().patch(url(owner)).set(owner.auth).send({ settings: { defaultCountry: 'GB' } }).expect(200);
    expect(res.body).toMatchObject({ name: 'settings workspace', businessName: 'Acme Ltd', settings: { aiEnabled: true, defaultCountry: 'GB' } });
    for (const body of [{ name: null }, { settings: { aiEnabled: null } }, { settings: { defaultCountry: null } }]) {
      expectProblem(await t.http().patch(url(owner)).set(owner.auth).send(body), 400, 'validation_failed');
    }
    // A nullable field can be cleared.
    expect((await t.http().patch(url(owner)).set(owner.auth).send({ businessName: null }).expect(200)).body).toMatchObject({ name: 'settings workspace', businessName: null });
  });

  it('restoring a workspace that is not closing answers 409 conflict', async () => {
    const owner = await signup(t, 'active');
    expectProblem(await t.http().post(url(owner, '/restore')).set(owner.auth), 409, 'conflict');
    await t.http().delete(url(owner)).set(owner.auth).expect(202);
    await t.http().post(url(owner, '/restore')).set(owner.auth).expect(200);
    expectProblem(await t.http().post(url(owner, '/restore')).set(owner.auth), 409, 'conflict');
  });

  it('restoring after the deletion date answers 409 conflict', async () => {
    const owner = await signup(t, 'too-late');
    await t.http().delete(url(owner)).set(owner.auth).expect(202);
    await sql(`update workspaces set deletion_due_at = now() - interval '1 minute' where id = $1`, [owner.workspaceId]);
    expectProblem(await t.http().post(url(owner, '/restore')).set(owner.auth), 409, 'conflict');
    expect((await t.http().get(url(owner)).set(owner.auth).expect(200)).body.status).toBe('closing');
  });
});
