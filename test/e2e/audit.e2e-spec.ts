import type { Response } from 'supertest';
import { Account, apiKey, memberWithRole, PASSWORD, signup, uniqueEmail } from '../utils/factories';
import { sql } from '../utils/db';
import { startApp, TestApp } from '../utils/test-app';
import { Creds, expectProblem, uniqueName } from '../utils/workspace-fixtures';

interface AuditEvent {
  id: string;
  actor: { type: string; id: string };
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  changes: Record<string, unknown> | null;
  ip: string | null;
  requestId: string | null;
  createdAt: string;
}

const LOOPBACK = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;
const WRONG_PASSWORD = 'not-the-password-at-all';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

describe('audit log', () => {
  let t: TestApp;
  /** Owns workspace A and a second workspace C, and is a viewer in Q's workspace. */
  let p: Account;
  let c: string;
  let q: Account;
  let adminKey: { id: string; headers: Creds };

  const auditUrl = (wid: string) => `/v1/workspaces/${wid}/audit-events`;

  /** All entries matching `query`, newest first (one page of up to 200). */
  async function events(creds: Creds, wid: string, query: Record<string, string> = {}): Promise<AuditEvent[]> {
    const res = await t.http().get(auditUrl(wid)).query({ limit: '200', ...query }).set(creds).expect(200);
    expect(res.body.nextCursor).toBeNull();
    return res.body.data;
  }

  beforeAll(async () => {
    t = await startApp();
    p = await signup(t, 'audited');
    c = (await t.http().post('/v1/workspaces').set(p.auth).send({ name: 'Second' }).expect(201)).body.id;
    q = await signup(t, 'neighbour');
    await t.http().post(`/v1/workspaces/${q.workspaceId}/members`).set(q.auth).send({ email: p.email, role: 'viewer' }).expect(201);
    adminKey = await apiKey(t, p, 'admin');
  }, 30_000);
  afterAll(() => t.close());

  it('writes sign-ins and failed sign-ins to every workspace the person belongs to', async () => {
    const okId = uniqueName('signin-ok');
    const badId = uniqueName('signin-bad');
    await t.http().post('/v1/auth/login').set('X-Request-Id', okId).send({ email: p.email, password: PASSWORD }).expect(200);
    await t.http().post('/v1/auth/login').set('X-Request-Id', badId).send({ email: p.email, password: WRONG_PASSWORD }).expect(401);

    const person = { actor: { type: 'user', id: p.userId }, subjectType: 'User', subjectId: p.userId, ip: expect.stringMatching(LOOPBACK) };
    for (const [wid, reader] of [
      [p.workspaceId, p.auth],
      [c, p.auth],
      [q.workspaceId, q.auth],
    ] as const) {
      const ok = (await events(reader, wid, { action: 'auth.signed_in' })).filter((e) => e.requestId === okId);
      const bad = (await events(reader, wid, { action: 'auth.sign_in_failed' })).filter((e) => e.requestId === badId);
      expect(ok).toEqual([expect.objectContaining({ ...person, action: 'auth.signed_in' })]);
      expect(bad).toEqual([expect.objectContaining({ ...person, action: 'auth.sign_in_failed' })]);
      expect(JSON.stringify([ok, bad])).not.toMatch(new RegExp(`${PASSWORD}|${WRONG_PASSWORD}`));
    }
    const outsider = await signup(t, 'outsider');
    const theirs = (await events(outsider.auth, outsider.workspaceId)).map((e) => e.requestId);
    expect(theirs).not.toContain(okId);
    expect(theirs).not.toContain(badId);
  });

  it('writes workspace.created and auth.signed_up into the new workspace at sign-up', async () => {
    const rid = uniqueName('signup');
    const res = await t
      .http()
      .post('/v1/auth/signup')
      .set('X-Request-Id', rid)
      .send({ email: uniqueEmail('signup'), password: PASSWORD, name: 'New Person', workspaceName: 'Fresh Co' })
      .expect(201);
    const { user, workspace, accessToken } = res.body;
    const found = (await events({ Authorization: `Bearer ${accessToken}` }, workspace.id)).filter((e) => e.requestId === rid);
    const by = { actor: { type: 'user', id: user.id }, ip: expect.stringMatching(LOOPBACK) };
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ ...by, action: 'workspace.created', subjectType: 'Workspace', subjectId: workspace.id, changes: { name: 'Fresh Co' } }),
        expect.objectContaining({ ...by, action: 'auth.signed_up', subjectType: 'User', subjectId: user.id }),
      ]),
    );
    expect(found).toHaveLength(2);
    expect(JSON.stringify(found)).not.toContain(PASSWORD);
  });

  it('writes member.joined, by the new person, when an invitation is accepted with a new account', async () => {
    const ws = `/v1/workspaces/${p.workspaceId}`;
    const fresh = (await t.http().post(`${ws}/members`).set(p.auth).send({ email: uniqueEmail('joiner'), role: 'agent' }).expect(201)).body;
    const freshRid = uniqueName('join-new');
    const joined = (await t.http().post(`/v1/invitations/${fresh.invitation.token}/accept`).set('X-Request-Id', freshRid).send({ name: 'Joiner', password: PASSWORD }).expect(201)).body;

    const all = await events(p.auth, p.workspaceId, { action: 'member.joined' });
    expect(all.filter((e) => e.requestId === freshRid)).toEqual([
      expect.objectContaining({ actor: { type: 'user', id: joined.user.id }, subjectType: 'Member', subjectId: fresh.id, ip: expect.stringMatching(LOOPBACK) }),
    ]);
  });

  it('writes member.joined when a signed-in person accepts an invitation to their email', async () => {
    const ws = `/v1/workspaces/${p.workspaceId}`;
    const email = uniqueEmail('later');
    const invited = (await t.http().post(`${ws}/members`).set(p.auth).send({ email, role: 'viewer' }).expect(201)).body;
    // The person signs up elsewhere after the invitation was sent, then accepts it signed in.
    const person = (await t.http().post('/v1/auth/signup').send({ email, password: PASSWORD, name: 'Later', workspaceName: 'Own' }).expect(201)).body;
    const rid = uniqueName('join-signed-in');
    await t.http().post(`/v1/invitations/${invited.invitation.token}/accept`).set('Authorization', `Bearer ${person.accessToken}`).set('X-Request-Id', rid).send({}).expect(200);
    expect((await events(p.auth, p.workspaceId, { action: 'member.joined' })).filter((e) => e.requestId === rid)).toEqual([
      expect.objectContaining({ actor: { type: 'user', id: person.user.id }, subjectType: 'Member', subjectId: invited.id }),
    ]);
  });

  it('writes refresh-token reuse and sign-out to every workspace the person belongs to', async () => {
    const session = (await t.http().post('/v1/auth/login').send({ email: p.email, password: PASSWORD }).expect(200)).body;
    await t.http().post('/v1/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200);
    const reuseRid = uniqueName('reuse');
    expectProblem(await t.http().post('/v1/auth/refresh').set('X-Request-Id', reuseRid).send({ refreshToken: session.refreshToken }), 401, 'unauthorized');

    const other = (await t.http().post('/v1/auth/login').send({ email: p.email, password: PASSWORD }).expect(200)).body;
    const logoutRid = uniqueName('logout');
    await t.http().post('/v1/auth/logout').set('X-Request-Id', logoutRid).send({ refreshToken: other.refreshToken }).expect(204);
    const familyOf = async (token: string) => (await sql<{ family_id: string }>('select family_id from refresh_tokens where id = $1', [token.split('.')[0]]))[0].family_id;

    const person = { actor: { type: 'user', id: p.userId }, subjectType: 'RefreshTokenFamily', ip: expect.stringMatching(LOOPBACK) };
    for (const [wid, reader] of [
      [p.workspaceId, p.auth],
      [c, p.auth],
      [q.workspaceId, q.auth],
    ] as const) {
      const all = await events(reader, wid);
      expect(all.filter((e) => e.requestId === reuseRid)).toEqual([
        expect.objectContaining({ ...person, action: 'auth.refresh_token_reused', subjectId: await familyOf(session.refreshToken) }),
      ]);
      expect(all.filter((e) => e.requestId === logoutRid)).toEqual([expect.objectContaining({ ...person, action: 'auth.signed_out', subjectId: await familyOf(other.refreshToken) })]);
      expect(JSON.stringify(all)).not.toContain(session.refreshToken.split('.')[1]);
    }
  });

  it('records member, role, API-key and workspace changes with actor, subject, ip and request id', async () => {
    const ws = `/v1/workspaces/${p.workspaceId}`;
    const rid = (tag: string) => uniqueName(tag);
    const ids = { invite: rid('invite'), change: rid('change'), remove: rid('remove'), role: rid('role'), key: rid('key'), revoke: rid('revoke'), ws: rid('ws') };

    const invited = (await t.http().post(`${ws}/members`).set(p.auth).set('X-Request-Id', ids.invite).send({ email: uniqueEmail('audit'), role: 'agent' }).expect(201)).body;
    await t.http().patch(`${ws}/members/${invited.id}`).set(p.auth).set('X-Request-Id', ids.change).send({ role: 'viewer' }).expect(200);
    await t.http().delete(`${ws}/members/${invited.id}`).set(p.auth).set('X-Request-Id', ids.remove).expect(204);
    const roleBody = { name: uniqueName('auditor'), permissions: [{ action: 'read', subject: 'AuditEvent' }] };
    const role = (await t.http().post(`${ws}/roles`).set(p.auth).set('X-Request-Id', ids.role).send(roleBody).expect(201)).body;
    const key = (await t.http().post(`${ws}/api-keys`).set(p.auth).set('X-Request-Id', ids.key).send({ name: 'ci', role: 'viewer' }).expect(201)).body;
    await t.http().delete(`${ws}/api-keys/${key.id}`).set(adminKey.headers).set('X-Request-Id', ids.revoke).expect(204);
    await t.http().patch(ws).set(p.auth).set('X-Request-Id', ids.ws).send({ name: 'Audited Inc' }).expect(200);

    const me = { type: 'user', id: p.userId };
    const expected = [
      { requestId: ids.invite, action: 'member.invited', actor: me, subjectType: 'Member', subjectId: invited.id, changes: { email: invited.email, role: 'agent' } },
      { requestId: ids.change, action: 'member.role_changed', actor: me, subjectType: 'Member', subjectId: invited.id, changes: { role: 'viewer' } },
      { requestId: ids.remove, action: 'member.removed', actor: me, subjectType: 'Member', subjectId: invited.id },
      { requestId: ids.role, action: 'role.created', actor: me, subjectType: 'Role', subjectId: role.id, changes: roleBody },
      { requestId: ids.key, action: 'api_key.created', actor: me, subjectType: 'ApiKey', subjectId: key.id, changes: { name: 'ci', role: 'viewer' } },
      { requestId: ids.revoke, action: 'api_key.revoked', actor: { type: 'api_key', id: adminKey.id }, subjectType: 'ApiKey', subjectId: key.id },
      { requestId: ids.ws, action: 'workspace.updated', actor: me, subjectType: 'Workspace', subjectId: p.workspaceId, changes: { name: 'Audited Inc' } },
    ];
    const all = await events(p.auth, p.workspaceId);
    for (const exp of expected) {
      const found = all.filter((e) => e.requestId === exp.requestId);
      expect(found).toEqual([expect.objectContaining({ ...exp, id: expect.any(String), ip: expect.stringMatching(LOOPBACK), createdAt: expect.any(String) })]);
    }
    expect(JSON.stringify(all)).not.toContain(key.key);
  });

  it('leaves no entry for a refused change', async () => {
    const ws = `/v1/workspaces/${p.workspaceId}`;
    const viewer = await memberWithRole(t, p, 'viewer');
    const forbidden = uniqueName('forbidden');
    const conflict = uniqueName('conflict');
    await t.http().post(`${ws}/members`).set(viewer.auth).set('X-Request-Id', forbidden).send({ email: uniqueEmail(), role: 'agent' }).expect(403);
    await t.http().post(`${ws}/members`).set(p.auth).set('X-Request-Id', conflict).send({ email: viewer.email, role: 'agent' }).expect(409);
    const rids = (await events(p.auth, p.workspaceId)).map((e) => e.requestId);
    expect(rids).not.toContain(forbidden);
    expect(rids).not.toContain(conflict);
  });

  it('never stores secrets: passwords, keys, invitation or session tokens', async () => {
    const ws = `/v1/workspaces/${p.workspaceId}`;
    const key = (await t.http().post(`${ws}/api-keys`).set(p.auth).send({ name: 'secretive', role: 'agent' }).expect(201)).body.key as string;
    const invitation = (await t.http().post(`${ws}/members`).set(p.auth).send({ email: uniqueEmail('tok'), role: 'agent' }).expect(201)).body.invitation.token as string;
    const login = (await t.http().post('/v1/auth/login').send({ email: p.email, password: PASSWORD }).expect(200)).body;
    await t.http().post('/v1/auth/login').send({ email: p.email, password: WRONG_PASSWORD }).expect(401);
    const secrets = [PASSWORD, WRONG_PASSWORD, key, key.slice('nzk_'.length + 13), invitation, login.accessToken, login.refreshToken, p.accessToken, p.refreshToken];
    for (const wid of [p.workspaceId, c]) {
      const text = JSON.stringify(await events(p.auth, wid));
      for (const secret of secrets) expect(text).not.toContain(secret);
    }
  });

  it('filters by action, actor and time', async () => {
    const all = await events(p.auth, p.workspaceId);
    expect(all.length).toBeGreaterThan(6);

    const invites = await events(p.auth, p.workspaceId, { action: 'member.invited' });
    expect(invites.length).toBeGreaterThan(0);
    expect(invites).toEqual(all.filter((e) => e.action === 'member.invited'));

    for (const actorId of [p.userId, adminKey.id]) {
      const byActor = await events(p.auth, p.workspaceId, { actorId });
      expect(byActor.length).toBeGreaterThan(0);
      expect(byActor).toEqual(all.filter((e) => e.actor.id === actorId));
    }

    // `from` is inclusive and `to` exclusive.
    const oldestFirst = [...all].reverse();
    const from = oldestFirst[2].createdAt;
    const to = oldestFirst[oldestFirst.length - 2].createdAt;
    const at = (e: AuditEvent) => Date.parse(e.createdAt);
    expect(await events(p.auth, p.workspaceId, { from })).toEqual(all.filter((e) => at(e) >= Date.parse(from)));
    expect(await events(p.auth, p.workspaceId, { to })).toEqual(all.filter((e) => at(e) < Date.parse(to)));
    const window = await events(p.auth, p.workspaceId, { from, to });
    expect(window).toEqual(all.filter((e) => at(e) >= Date.parse(from) && at(e) < Date.parse(to)));
    expect(window.length).toBeGreaterThan(0);
    expect(window.length).toBeLessThan(all.length);

    const bad = await t.http().get(auditUrl(p.workspaceId)).query({ from: 'last tuesday' }).set(p.auth);
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'from' })]);
  });

  it('walks every entry with limit=2 exactly once, newest first, even while entries are added', async () => {
    const snapshot = (await events(p.auth, p.workspaceId)).map((e) => e.id);
    const walked: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: Response = await t
        .http()
        .get(auditUrl(p.workspaceId))
        .query({ limit: '2', ...(cursor ? { cursor } : {}) })
        .set(p.auth)
        .expect(200);
      expect(res.body.data.length).toBeLessThanOrEqual(2);
      walked.push(...res.body.data.map((e: AuditEvent) => e.id));
      cursor = res.body.nextCursor;
      // A concurrent change lands in front of the walk, never inside it.
      if (pages++ === 0) await t.http().patch(`/v1/workspaces/${p.workspaceId}`).set(p.auth).send({ businessName: uniqueName('during-walk') }).expect(200);
    } while (cursor);
    expect(new Set(walked).size).toBe(walked.length);
    expect(walked).toEqual(snapshot);
    expect([...snapshot].sort().reverse()).toEqual(snapshot);
    expect(pages).toBe(Math.ceil(snapshot.length / 2));
  });

  it('answers 400 validation_failed to a limit outside 1..200 and to malformed cursors', async () => {
    for (const limit of ['0', '201', '-1', 'ten']) {
      const res = await t.http().get(auditUrl(p.workspaceId)).query({ limit }).set(p.auth);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'limit' })]));
    }
    await t.http().get(auditUrl(p.workspaceId)).query({ limit: '200' }).set(p.auth).expect(200);
    await t.http().get(auditUrl(p.workspaceId)).query({ limit: '1' }).set(p.auth).expect(200);

    for (const cursor of ['%%%not-a-cursor', b64('not json'), b64('{"x":1}'), b64('{"id":"x"}'), b64('{"id":5}'), b64('[]'), 'x'.repeat(600)]) {
      const res = await t.http().get(auditUrl(p.workspaceId)).query({ cursor }).set(p.auth);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'cursor' })]));
    }
  });

  it('is append-only: no route changes or deletes an entry', async () => {
    const [entry] = await events(p.auth, p.workspaceId);
    const base = auditUrl(p.workspaceId);
    for (const [method, path] of [
      ['patch', `${base}/${entry.id}`],
      ['put', `${base}/${entry.id}`],
      ['delete', `${base}/${entry.id}`],
      ['delete', base],
      ['patch', base],
      ['post', base],
    ] as const) {
      const req = t.http()[method](path).set(p.auth);
      expectProblem(await (method === 'delete' ? req : req.send({ action: 'forged' })), 404, 'not_found');
    }
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, object> };
    const auditPaths = Object.entries(doc.paths).filter(([path]) => path.includes('/audit-events'));
    expect(auditPaths.length).toBeGreaterThan(0);
    for (const [, ops] of auditPaths) expect(Object.keys(ops)).toEqual(['get']);
    expect((await events(p.auth, p.workspaceId)).find((e) => e.id === entry.id)).toEqual(entry);
  });

  it('is closed to agents and viewers, people and keys alike', async () => {
    for (const role of ['agent', 'viewer']) {
      const member = await memberWithRole(t, p, role);
      const key = await apiKey(t, p, role);
      for (const creds of [member.auth, key.headers]) expectProblem(await t.http().get(auditUrl(p.workspaceId)).set(creds), 403, 'forbidden');
    }
  });
});
