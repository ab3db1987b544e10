import type { Response } from 'supertest';
import { Account, apiKey, signup } from '../utils/factories';
import { ApiRoute, fillPath, idsFor, pathParams, routeLabel, sendTo, workspaceRoutes } from '../utils/openapi-routes';
import { startApp, TestApp } from '../utils/test-app';
import { seedTenantRecords } from '../utils/tenant-records';
import { createRole, Creds, expectProblem, inviteMember } from '../utils/workspace-fixtures';

interface Outcome {
  route: string;
  url: string;
  status: number;
  code?: string;
}

const outcome = (route: ApiRoute, url: string, res: Response): Outcome => ({ route: routeLabel(route), url, status: res.status, code: res.body?.code });

/**
 * The tenancy sweep: every route the OpenAPI document lists under /v1/workspaces/{wid} (routes added
 * later are covered without touching this file), called by a member of workspace A against B.
 */
describe('tenant isolation', () => {
  let t: TestApp;
  let a: Account;
  let b: Account;
  let aKey: Creds;
  let bKey: { id: string; headers: Creds };
  let routes: ApiRoute[];
  /** B's real record ids by path parameter name. */
  let bRecords: Record<string, string>;
  /** Path values per route with B's real record ids where B can list them. */
  const bIds = new Map<ApiRoute, Record<string, string>>();
  let before: Record<string, unknown>;

  const snapshot = async () => {
    const get = async (rest: string) => (await t.http().get(`/v1/workspaces/${b.workspaceId}${rest}`).set(b.auth).expect(200)).body;
    // lastUsedAt moves whenever B's own key is used.
    const keys = (await get('/api-keys')).data.map(({ lastUsedAt: _lastUsedAt, ...k }: { lastUsedAt: unknown }) => k);
    return {
      members: await get('/members'),
      roles: await get('/roles'),
      keys,
      workspace: await get(''),
      channels: await get('/channels'),
      contact: await get(`/contacts/${bRecords.contactId}`),
      conversation: await get(`/conversations/${bRecords.conversationId}`),
    };
  };

  beforeAll(async () => {
    t = await startApp();
    a = await signup(t, 'tenant-a');
    b = await signup(t, 'tenant-b');
    aKey = (await apiKey(t, a, 'owner')).headers;
    // Give B a real record of every kind, addressed by the path parameter that names it; a
    // parameter added later without an entry here still gets a listed record or a random UUID,
    // so the sweep keeps covering new routes instead of failing on them.
    const memberId = await inviteMember(t, b, 'agent');
    const role = await createRole(t, b, [{ action: 'read', subject: 'Member' }]);
    bKey = await apiKey(t, b, 'admin');
    bRecords = { memberId, roleId: role.id, keyId: bKey.id, ...(await seedTenantRecords(t, b)) };
    routes = await workspaceRoutes(t);
    const cache = new Map<string, string>();
    for (const route of routes) bIds.set(route, await idsFor(t, route, b.workspaceId, b.auth, bRecords, cache));
    before = await snapshot();
  }, 60_000);
  afterAll(() => t.close());

  it('reads the workspace routes from the running app', () => {
    const labels = routes.map(routeLabel);
    expect(labels).toEqual(
      expect.arrayContaining([
        'GET /v1/workspaces/{wid}',
        'PATCH /v1/workspaces/{wid}',
        'DELETE /v1/workspaces/{wid}',
        'POST /v1/workspaces/{wid}/restore',
        'GET /v1/workspaces/{wid}/members',
        'PATCH /v1/workspaces/{wid}/members/{memberId}',
        'DELETE /v1/workspaces/{wid}/roles/{roleId}',
        'DELETE /v1/workspaces/{wid}/api-keys/{keyId}',
        'GET /v1/workspaces/{wid}/audit-events',
      ]),
    );
    // B's real ids were found for the nested params B can list.
    const memberRoute = routes.find((r) => routeLabel(r) === 'PATCH /v1/workspaces/{wid}/members/{memberId}')!;
    expect(before.members).toMatchObject({ data: expect.arrayContaining([expect.objectContaining({ id: bIds.get(memberRoute)!.memberId })]) });
  });

  it("aims at B's real records: each mapped id is one B's owner can read", async () => {
    const own = `/v1/workspaces/${b.workspaceId}`;
    for (const rest of [
      `/channels/${bRecords.channelId}`,
      `/channels/${bRecords.channelId}/webhook-events`,
      `/contacts/${bRecords.contactId}/merges`,
      `/conversations/${bRecords.conversationId}`,
      `/messages/${bRecords.messageId}`,
      `/attachments/${bRecords.attachmentId}`,
    ]) {
      await t.http().get(`${own}${rest}`).set(b.auth).expect(200);
    }
    const retry = routes.find((r) => routeLabel(r) === 'POST /v1/workspaces/{wid}/messages/{messageId}/retry')!;
    expect(bIds.get(retry)).toEqual({ wid: b.workspaceId, messageId: bRecords.messageId });
  });

  it.each([
    ['a bearer token', () => a.auth],
    ['an API key', () => aKey],
  ])("answers 404 on every route of another workspace, for %s", async (_, creds) => {
    const outcomes: Outcome[] = [];
    for (const route of routes) {
      const url = fillPath(route.path, bIds.get(route)!);
      outcomes.push(outcome(route, url, await sendTo(t, route.method, url, creds())));
    }
    expect(outcomes.filter((o) => o.status !== 404 || o.code !== 'not_found')).toEqual([]);
    expect(outcomes.length).toBe(routes.length);
  });

  it('leaves the other workspace untouched by the sweeps', async () => {
    expect(await snapshot()).toEqual(before);
    await t.http().get(`/v1/workspaces/${b.workspaceId}/members`).set(bKey.headers).expect(200);
  });

  it("answers 404 for another workspace's record ids in the caller's own workspace", async () => {
    const outcomes: Outcome[] = [];
    for (const route of routes.filter((r) => pathParams(r.path).length > 1)) {
      const url = fillPath(route.path, { ...bIds.get(route)!, wid: a.workspaceId });
      const res = await sendTo(t, route.method, url, a.auth);
      // With the minimal body `{}` a route may reject the body before looking the id up (400);
      // it must never succeed or fail with a 5xx.
      const acceptable = res.status === 404 || (res.status === 400 && ['post', 'put', 'patch'].includes(route.method));
      if (!acceptable) outcomes.push(outcome(route, url, res));
    }
    expect(outcomes).toEqual([]);

    // The same with valid bodies, so the lookup itself is what answers.
    const own = `/v1/workspaces/${a.workspaceId}`;
    const bMember = bIds.get(routes.find((r) => r.path.endsWith('/members/{memberId}'))!)!.memberId;
    const bRole = (before.roles as { data: { id: string; builtIn: boolean }[] }).data.find((r) => !r.builtIn)!.id;
    expectProblem(await t.http().patch(`${own}/members/${bMember}`).set(a.auth).send({ role: 'viewer' }), 404, 'not_found');
    expectProblem(await t.http().delete(`${own}/members/${bMember}`).set(a.auth), 404, 'not_found');
    expectProblem(await t.http().patch(`${own}/roles/${bRole}`).set(a.auth).send({ name: 'stolen' }), 404, 'not_found');
    expectProblem(await t.http().delete(`${own}/roles/${bRole}`).set(aKey), 404, 'not_found');
    expectProblem(await t.http().delete(`${own}/api-keys/${bKey.id}`).set(aKey), 404, 'not_found');
    expectProblem(await t.http().patch(`${own}/contacts/${bRecords.contactId}`).set(a.auth).send({ name: 'stolen' }), 404, 'not_found');
    expectProblem(await t.http().patch(`${own}/conversations/${bRecords.conversationId}`).set(a.auth).send({ status: 'resolved' }), 404, 'not_found');
    expectProblem(await t.http().post(`${own}/conversations/${bRecords.conversationId}/messages`).set(a.auth).send({ text: 'hi' }), 404, 'not_found');
    expectProblem(await t.http().patch(`${own}/channels/${bRecords.channelId}`).set(aKey).send({ name: 'stolen' }), 404, 'not_found');
    expectProblem(await t.http().get(`${own}/attachments/${bRecords.attachmentId}`).set(aKey), 404, 'not_found');
    expect(await snapshot()).toEqual(before);
    await t.http().get(`/v1/workspaces/${b.workspaceId}`).set(bKey.headers).expect(200);
  });

  it('answers 404 for malformed workspace and record ids', async () => {
    expectProblem(await t.http().get('/v1/workspaces/not-a-uuid/members').set(a.auth), 404, 'not_found');
    expectProblem(await t.http().patch(`/v1/workspaces/${a.workspaceId}/members/not-a-uuid`).set(a.auth).send({ role: 'viewer' }), 404, 'not_found');
    expectProblem(await t.http().delete(`/v1/workspaces/${a.workspaceId}/api-keys/123`).set(aKey), 404, 'not_found');
  });
});
