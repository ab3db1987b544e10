import { apiKey, memberWithRole, signup, uniqueEmail } from '../utils/factories';
import { BuiltInRole, CONTENT_ROUTES, EVERYONE, Fixture, MANAGERS, OWNER_ONLY, RouteCase, seedContent, ws } from '../utils/permission-matrix';
import { startApp, TestApp } from '../utils/test-app';
import { createRole, Creds, expectProblem, inviteMember, memberIdOf, uniqueName } from '../utils/workspace-fixtures';

/** A custom role that may only list members. */
const MEMBER_READER = 'member-reader';

// From API.md's built-in roles: owner does everything; admin everything but closing/restoring;
// agent has no channels, members, roles, api keys, audit log or workspace settings; viewer is
// read-only on contacts, conversations, messages and usage. Any member may read the workspace it
// works in (its name and status); changing its settings is what agents and viewers may not do.
const WORKSPACE_ROUTES: RouteCase[] = [
  { route: 'GET /{wid}', permission: 'read Workspace', allowed: EVERYONE, status: 200, call: (f, as) => f.t.http().get(ws(f)).set(as) },
  {
    route: 'PATCH /{wid}',
    permission: 'update Workspace',
    allowed: MANAGERS,
    status: 200,
    call: (f, as) => f.t.http().patch(ws(f)).set(as).send({ businessName: uniqueName('biz') }),
  },
  {
    route: 'DELETE /{wid}',
    permission: 'delete Workspace',
    allowed: OWNER_ONLY,
    status: 202,
    call: (f, as) => f.t.http().delete(ws(f)).set(as),
    // Closing disconnected the channels, and restoring does not reconnect them.
    undo: async (f) => {
      await f.t.http().post(ws(f, '/restore')).set(f.owner.auth).expect(200);
      f.seed = await seedContent(f.t, f.owner);
    },
  },
  { route: 'GET /members', permission: 'read Member', allowed: MANAGERS, status: 200, call: (f, as) => f.t.http().get(ws(f, '/members')).set(as) },
  {
    route: 'POST /members',
    permission: 'create Member',
    allowed: MANAGERS,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, '/members')).set(as).send({ email: uniqueEmail('invitee'), role: 'viewer' }),
  },
  {
    route: 'PATCH /members/{memberId}',
    permission: 'update Member',
    allowed: MANAGERS,
    status: 200,
    call: async (f, as) => f.t.http().patch(ws(f, `/members/${await inviteMember(f.t, f.owner, 'agent')}`)).set(as).send({ role: 'viewer' }),
  },
  {
    route: 'DELETE /members/{memberId}',
    permission: 'delete Member',
    allowed: MANAGERS,
    status: 204,
    call: async (f, as) => f.t.http().delete(ws(f, `/members/${await inviteMember(f.t, f.owner, 'agent')}`)).set(as),
  },
  { route: 'GET /roles', permission: 'read Role', allowed: MANAGERS, status: 200, call: (f, as) => f.t.http().get(ws(f, '/roles')).set(as) },
  {
    route: 'POST /roles',
    permission: 'create Role',
    allowed: MANAGERS,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, '/roles')).set(as).send({ name: uniqueName('role'), permissions: [{ action: 'read', subject: 'Contact' }] }),
  },
  {
    route: 'PATCH /roles/{roleId}',
    permission: 'update Role',
    allowed: MANAGERS,
    status: 200,
    call: async (f, as) => {
      const role = await createRole(f.t, f.owner, [{ action: 'read', subject: 'Contact' }]);
      return f.t.http().patch(ws(f, `/roles/${role.id}`)).set(as).send({ permissions: [{ action: 'read', subject: 'Message' }] });
    },
  },
  {
    route: 'DELETE /roles/{roleId}',
    permission: 'delete Role',
    allowed: MANAGERS,
    status: 204,
    call: async (f, as) => f.t.http().delete(ws(f, `/roles/${(await createRole(f.t, f.owner, [{ action: 'read', subject: 'Contact' }])).id}`)).set(as),
  },
  { route: 'GET /api-keys', permission: 'read ApiKey', allowed: MANAGERS, status: 200, call: (f, as) => f.t.http().get(ws(f, '/api-keys')).set(as) },
  {
    route: 'POST /api-keys',
    permission: 'create ApiKey',
    allowed: MANAGERS,
    status: 201,
    call: (f, as) => f.t.http().post(ws(f, '/api-keys')).set(as).send({ name: uniqueName('key'), role: 'viewer' }),
  },
  {
    route: 'DELETE /api-keys/{keyId}',
    permission: 'delete ApiKey',
    allowed: MANAGERS,
    status: 204,
    call: async (f, as) => f.t.http().delete(ws(f, `/api-keys/${(await apiKey(f.t, f.owner, 'viewer')).id}`)).set(as),
  },
  { route: 'GET /audit-events', permission: 'read AuditEvent', allowed: MANAGERS, status: 200, call: (f, as) => f.t.http().get(ws(f, '/audit-events')).set(as) },
];

const ROUTES = [...WORKSPACE_ROUTES, ...CONTENT_ROUTES];

const mayCall = (role: string, r: RouteCase) => (role === MEMBER_READER ? r.permission === 'read Member' : r.allowed.includes(role as BuiltInRole));

const PRINCIPALS = (['owner', 'admin', 'agent', 'viewer', MEMBER_READER] as const).flatMap((role) =>
  (['bearer', 'api-key'] as const).map((via) => ({ role, via })),
);

describe('permissions', () => {
  let t: TestApp;
  let f: Fixture;
  const creds = new Map<string, Creds>();

  beforeAll(async () => {
    // The matrix makes hundreds of calls in one workspace; its limits are not what is tested here.
    t = await startApp({ RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_WORKSPACE_PER_MINUTE: '100000' });
    const owner = await signup(t, 'matrix');
    f = { t, owner, seed: await seedContent(t, owner) };
    await createRole(t, owner, [{ action: 'read', subject: 'Member' }], MEMBER_READER);
    creds.set('owner/bearer', owner.auth);
    for (const role of ['admin', 'agent', 'viewer', MEMBER_READER]) creds.set(`${role}/bearer`, (await memberWithRole(t, owner, role)).auth);
    for (const role of ['owner', 'admin', 'agent', 'viewer', MEMBER_READER]) creds.set(`${role}/api-key`, (await apiKey(t, owner, role)).headers);
  }, 60_000);
  afterAll(async () => {
    await t.http().delete('/sandbox/faults');
    await t.close();
  });

  describe.each(PRINCIPALS)('$role via $via', ({ role, via }) => {
    it.each(ROUTES)('$route', async (route) => {
      const res = await route.call(f, creds.get(`${role}/${via}`)!);
      const expected = mayCall(role, route) ? route.status : 403;
      expect({ route: route.route, status: res.status }).toEqual({ route: route.route, status: expected });
      if (expected === 403) expectProblem(res, 403, 'forbidden');
      else await route.undo?.(f);
    });
  });

  describe('custom roles', () => {
    it('rejects unknown actions and subjects with field errors', async () => {
      const res = await t
        .http()
        .post(`/v1/workspaces/${f.owner.workspaceId}/roles`)
        .set(f.owner.auth)
        .send({
          name: uniqueName('bad'),
          permissions: [
            { action: 'fly', subject: 'Member' },
            { action: 'read', subject: 'Spaceship' },
            { action: 'manage', subject: 'all' },
            { action: 'read', subject: 'Member', inverted: true },
          ],
        });
      expectProblem(res, 400, 'validation_failed');
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['permissions[0].action', 'permissions[1].subject', 'permissions[2].subject', 'permissions[3].inverted']));
      expect(fields).not.toContain('permissions[0].subject');

      const role = await createRole(t, f.owner, [{ action: 'read', subject: 'Member' }]);
      const patch = await t
        .http()
        .patch(`/v1/workspaces/${f.owner.workspaceId}/roles/${role.id}`)
        .set(f.owner.auth)
        .send({ permissions: [{ action: 'read', subject: 'Nothing' }] });
      expectProblem(patch, 400, 'validation_failed');
      expect(patch.body.errors).toEqual([expect.objectContaining({ field: 'permissions[0].subject' })]);
      const missing = await t.http().post(`/v1/workspaces/${f.owner.workspaceId}/roles`).set(f.owner.auth).send({ name: uniqueName('empty') });
      expectProblem(missing, 400, 'validation_failed');
      expect(missing.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'permissions' })]));
    });

    it('lists the four built-in roles, which cannot be edited or deleted (409)', async () => {
      const list = await t.http().get(`/v1/workspaces/${f.owner.workspaceId}/roles`).set(f.owner.auth).expect(200);
      const builtIns = list.body.data.filter((r: { builtIn: boolean }) => r.builtIn);
      expect(builtIns.map((r: { name: string }) => r.name).sort()).toEqual(['admin', 'agent', 'owner', 'viewer']);
      for (const role of builtIns) {
        const url = `/v1/workspaces/${f.owner.workspaceId}/roles/${role.id}`;
        expectProblem(await t.http().patch(url).set(f.owner.auth).send({ permissions: [{ action: 'read', subject: 'Member' }] }), 409, 'conflict');
        expectProblem(await t.http().patch(url).set(f.owner.auth).send({ name: uniqueName('renamed') }), 409, 'conflict');
        expectProblem(await t.http().delete(url).set(f.owner.auth), 409, 'conflict');
      }
      const after = await t.http().get(`/v1/workspaces/${f.owner.workspaceId}/roles`).set(f.owner.auth).expect(200);
      expect(after.body.data.filter((r: { builtIn: boolean }) => r.builtIn)).toEqual(builtIns);
    });

    it('refuses to delete a role in use by a member or an API key (409) until nothing uses it', async () => {
      const { owner } = f;
      const byMember = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }]);
      const memberId = await inviteMember(t, owner, byMember.name);
      expectProblem(await t.http().delete(`/v1/workspaces/${owner.workspaceId}/roles/${byMember.id}`).set(owner.auth), 409, 'conflict');
      await t.http().delete(`/v1/workspaces/${owner.workspaceId}/members/${memberId}`).set(owner.auth).expect(204);
      await t.http().delete(`/v1/workspaces/${owner.workspaceId}/roles/${byMember.id}`).set(owner.auth).expect(204);

      const byKey = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }]);
      const key = await apiKey(t, owner, byKey.name);
      expectProblem(await t.http().delete(`/v1/workspaces/${owner.workspaceId}/roles/${byKey.id}`).set(owner.auth), 409, 'conflict');
      await t.http().delete(`/v1/workspaces/${owner.workspaceId}/api-keys/${key.id}`).set(owner.auth).expect(204);
      await t.http().delete(`/v1/workspaces/${owner.workspaceId}/roles/${byKey.id}`).set(owner.auth).expect(204);
      const left = (await t.http().get(`/v1/workspaces/${owner.workspaceId}/roles`).set(owner.auth).expect(200)).body.data.map((r: { id: string }) => r.id);
      expect(left).not.toContain(byMember.id);
      expect(left).not.toContain(byKey.id);
    });

    it('refuses role names that clash with another role or a built-in one (409)', async () => {
      const { owner } = f;
      const roles = `/v1/workspaces/${owner.workspaceId}/roles`;
      const first = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }]);
      const second = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }]);
      expectProblem(await t.http().post(roles).set(owner.auth).send({ name: first.name, permissions: [] }), 409, 'conflict');
      expectProblem(await t.http().post(roles).set(owner.auth).send({ name: 'admin', permissions: [] }), 409, 'conflict');
      expectProblem(await t.http().patch(`${roles}/${second.id}`).set(owner.auth).send({ name: first.name }), 409, 'conflict');
      expectProblem(await t.http().patch(`${roles}/${second.id}`).set(owner.auth).send({ name: 'viewer' }), 409, 'conflict');
      // The same name in another workspace is fine.
      const other = await signup(t, 'other');
      await createRole(t, other, [], first.name);
    });

    it('cannot grant more than the granter holds: an admin gets no role, member or key with `delete Workspace`', async () => {
      const { owner } = f;
      const admin = await memberWithRole(t, owner, 'admin');
      const adminKey = await apiKey(t, owner, 'admin');
      const roles = `/v1/workspaces/${owner.workspaceId}/roles`;
      for (const as of [admin.auth, adminKey.headers]) {
        for (const permissions of [[{ action: 'delete', subject: 'Workspace' }], [{ action: 'manage', subject: 'Workspace' }]]) {
          expectProblem(await t.http().post(roles).set(as).send({ name: uniqueName('closer'), permissions }), 403, 'forbidden');
        }
      }
      const harmless = await createRole(t, owner, [{ action: 'read', subject: 'Contact' }]);
      expectProblem(await t.http().patch(`${roles}/${harmless.id}`).set(admin.auth).send({ permissions: [{ action: 'delete', subject: 'Workspace' }] }), 403, 'forbidden');

      const closer = await createRole(t, owner, [{ action: 'delete', subject: 'Workspace' }]);
      const adminMemberId = await memberIdOf(t, owner, admin.userId);
      expectProblem(await t.http().patch(`/v1/workspaces/${owner.workspaceId}/members/${adminMemberId}`).set(admin.auth).send({ role: closer.name }), 403, 'forbidden');
      expectProblem(await t.http().post(`/v1/workspaces/${owner.workspaceId}/members`).set(admin.auth).send({ email: uniqueEmail('closer'), role: closer.name }), 403, 'forbidden');
      expectProblem(await t.http().post(`/v1/workspaces/${owner.workspaceId}/api-keys`).set(adminKey.headers).send({ name: 'closer', role: closer.name }), 403, 'forbidden');
      expectProblem(await t.http().delete(`/v1/workspaces/${owner.workspaceId}`).set(admin.auth), 403, 'forbidden');
      // The owner holds everything, so may hand it out.
      await t.http().post(`/v1/workspaces/${owner.workspaceId}/api-keys`).set(owner.auth).send({ name: 'closer', role: closer.name }).expect(201);
    });
  });

  describe('changes apply on the next request', () => {
    it('a demoted admin is refused with the same token; a removed member no longer sees the workspace', async () => {
      const { owner } = f;
      const admin = await memberWithRole(t, owner, 'admin');
      const members = `/v1/workspaces/${owner.workspaceId}/members`;
      await t.http().get(members).set(admin.auth).expect(200);
      const memberId = await memberIdOf(t, owner, admin.userId);
      await t.http().patch(`${members}/${memberId}`).set(owner.auth).send({ role: 'viewer' }).expect(200);
      expectProblem(await t.http().get(members).set(admin.auth), 403, 'forbidden');
      await t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(admin.auth).expect(200);
      await t.http().delete(`${members}/${memberId}`).set(owner.auth).expect(204);
      expectProblem(await t.http().get(`/v1/workspaces/${owner.workspaceId}`).set(admin.auth), 404, 'not_found');
    });

    it('editing a custom role changes what its members and keys may do at once', async () => {
      const { owner } = f;
      const role = await createRole(t, owner, [
        { action: 'read', subject: 'Member' },
        { action: 'read', subject: 'Role' },
      ]);
      const member = await memberWithRole(t, owner, role.name);
      const key = await apiKey(t, owner, role.name);
      const url = `/v1/workspaces/${owner.workspaceId}`;
      for (const as of [member.auth, key.headers]) await t.http().get(`${url}/roles`).set(as).expect(200);
      await t.http().patch(`${url}/roles/${role.id}`).set(owner.auth).send({ permissions: [{ action: 'read', subject: 'Member' }] }).expect(200);
      for (const as of [member.auth, key.headers]) {
        expectProblem(await t.http().get(`${url}/roles`).set(as), 403, 'forbidden');
        await t.http().get(`${url}/members`).set(as).expect(200);
      }
    });
  });
});
