import jwt from 'jsonwebtoken';
import { AppConfig } from '../../src/config';
import { apiKey, memberWithRole, PASSWORD, signup, uniqueEmail } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

describe('sign-up, sign-in and tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('signs up: the caller owns a new workspace, and /v1/me shows it', async () => {
    const a = await signup(t);
    const me = await t.http().get('/v1/me').set(a.auth).expect(200);
    expect(me.body).toEqual({ user: { id: a.userId, email: a.email, name: 'owner person' }, memberships: [{ workspaceId: a.workspaceId, role: 'owner' }] });
    const ws = await t.http().get(`/v1/workspaces/${a.workspaceId}`).set(a.auth).expect(200);
    expect(ws.body).toMatchObject({ id: a.workspaceId, name: 'owner workspace', status: 'active', settings: { aiEnabled: true, defaultCountry: 'US' } });
  });

  it('rejects a duplicate email with 409 and a short password with a field error', async () => {
    const a = await signup(t);
    const dup = await t.http().post('/v1/auth/signup').send({ email: a.email, password: PASSWORD, name: 'x', workspaceName: 'y' }).expect(409);
    expect(dup.body.code).toBe('conflict');
    const short = await t.http().post('/v1/auth/signup').send({ email: uniqueEmail(), password: 'short', name: 'x', workspaceName: 'y' }).expect(400);
    expect(short.body.code).toBe('validation_failed');
    expect(short.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
  });

  it('answers bad input with 400 field errors: unknown fields, over-long values, malformed email', async () => {
    const res = await t
      .http()
      .post('/v1/auth/signup')
      .send({ email: 'not-an-email', password: 'x'.repeat(201), name: 'n'.repeat(201), workspaceName: 'w', admin: true })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['email', 'password', 'name', 'admin']));
  });

  it('answers a non-JSON body with 415 unsupported_media_type', async () => {
    const res = await t.http().post('/v1/auth/login').set('content-type', 'text/plain').send('email=a').expect(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('gives the same 401 for an unknown email and a wrong password', async () => {
    const a = await signup(t);
    const wrong = await t.http().post('/v1/auth/login').send({ email: a.email, password: 'wrong-password!' }).expect(401);
    const unknown = await t.http().post('/v1/auth/login').send({ email: uniqueEmail('ghost'), password: 'wrong-password!' }).expect(401);
    expect(wrong.body.code).toBe('unauthorized');
    expect({ ...wrong.body, requestId: undefined }).toEqual({ ...unknown.body, requestId: undefined });
    const ok = await t.http().post('/v1/auth/login').send({ email: a.email.toUpperCase(), password: PASSWORD }).expect(200);
    expect(ok.body.user.id).toBe(a.userId);
  });

  it('rotates refresh tokens, and reusing a rotated one revokes the whole family', async () => {
    const a = await signup(t);
    const first = await t.http().post('/v1/auth/refresh').send({ refreshToken: a.refreshToken }).expect(200);
    expect(first.body.refreshToken).not.toBe(a.refreshToken);
    // Reuse of the rotated token: an attacker replaying a stolen token.
    await t.http().post('/v1/auth/refresh').send({ refreshToken: a.refreshToken }).expect(401);
    // The legitimate holder's newer token is now revoked too.
    await t.http().post('/v1/auth/refresh').send({ refreshToken: first.body.refreshToken }).expect(401);
  });

  it('logs out by revoking the refresh family', async () => {
    const a = await signup(t);
    await t.http().post('/v1/auth/logout').send({ refreshToken: a.refreshToken }).expect(204);
    await t.http().post('/v1/auth/refresh').send({ refreshToken: a.refreshToken }).expect(401);
  });

  it("refuses the signed-out session's access token at once, while the person's other sessions keep working", async () => {
    const a = await signup(t);
    const other = (await t.http().post('/v1/auth/login').send({ email: a.email, password: PASSWORD }).expect(200)).body.accessToken;
    await t.http().get('/v1/me').set(a.auth).expect(200);
    await t.http().post('/v1/auth/logout').send({ refreshToken: a.refreshToken }).expect(204);
    expect((await t.http().get('/v1/me').set(a.auth).expect(401)).body.code).toBe('unauthorized');
    await t.http().get(`/v1/workspaces/${a.workspaceId}`).set(a.auth).expect(401);
    await t.http().get('/v1/me').set('Authorization', `Bearer ${other}`).expect(200);
  });

  it('rejects tampered JWTs: wrong secret, alg none, expired', async () => {
    const a = await signup(t);
    // The secret as the app's own config resolves it from the same environment (startApp loads the app
    // in an isolated module registry, so `t.app.get(AppConfig)` would look up a different class). The
    // fresh token below proves it is the one the running app verifies with, so only expiry differs.
    const secret = new AppConfig().env.JWT_SECRET;
    const claims = { sub: a.userId, typ: 'access' };
    const fresh = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }, secret, { algorithm: 'HS256' });
    expect((await t.http().get('/v1/me').set('Authorization', `Bearer ${fresh}`).expect(200)).body.user.id).toBe(a.userId);

    const wrongSecret = jwt.sign(claims, 'not-the-secret', { algorithm: 'HS256' });
    const none = jwt.sign(claims, '', { algorithm: 'none' });
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 60 }, secret, { algorithm: 'HS256' });
    for (const token of [wrongSecret, none, expired, 'garbage']) {
      const res = await t.http().get('/v1/me').set('Authorization', `Bearer ${token}`).expect(401);
      expect(res.body.code).toBe('unauthorized');
    }
    await t.http().get('/v1/me').expect(401);
  });

  it('accepts invitations for new people (201) and signed-in people (200), single-use', async () => {
    const owner = await signup(t);
    const invited = await t.http().post(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).send({ email: uniqueEmail('new'), role: 'agent' }).expect(201);
    expect(invited.body).toMatchObject({ status: 'invited', role: 'agent', userId: null, invitation: { token: expect.any(String) } });
    const token = invited.body.invitation.token;
    await t.http().post(`/v1/invitations/${token}/accept`).send({ name: 'New Person', password: PASSWORD }).expect(201);
    await t.http().post(`/v1/invitations/${token}/accept`).send({ name: 'Again', password: PASSWORD }).expect(404);

    const other = await signup(t, 'existing');
    const second = await signup(t, 'second');
    const inv2 = await t.http().post(`/v1/workspaces/${second.workspaceId}/members`).set(second.auth).send({ email: other.email, role: 'viewer' }).expect(201);
    // Existing users join at once.
    expect(inv2.body).toMatchObject({ status: 'active', userId: other.userId, role: 'viewer' });
  });

  it('revoked API keys answer 401 at once', async () => {
    const owner = await signup(t);
    const key = await apiKey(t, owner, 'admin');
    await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).set(key.headers).expect(200);
    const list = await t.http().get(`/v1/workspaces/${owner.workspaceId}/api-keys`).set(owner.auth).expect(200);
    expect(list.body.data[0]).not.toHaveProperty('key');
    expect(list.body.data[0]).not.toHaveProperty('hash');
    await t.http().delete(`/v1/workspaces/${owner.workspaceId}/api-keys/${key.id}`).set(owner.auth).expect(204);
    await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).set(key.headers).expect(401);
  });

  it('protects the last owner from removal and demotion', async () => {
    const owner = await signup(t);
    const members = await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth).expect(200);
    const me = members.body.data[0];
    expect((await t.http().patch(`/v1/workspaces/${owner.workspaceId}/members/${me.id}`).set(owner.auth).send({ role: 'admin' }).expect(409)).body.code).toBe('conflict');
    await t.http().delete(`/v1/workspaces/${owner.workspaceId}/members/${me.id}`).set(owner.auth).expect(409);
    // An admin cannot grant owner.
    const admin = await memberWithRole(t, owner, 'admin');
    const adminRow = (await t.http().get(`/v1/workspaces/${owner.workspaceId}/members`).set(owner.auth)).body.data.find((m: { userId: string }) => m.userId === admin.userId);
    await t.http().patch(`/v1/workspaces/${owner.workspaceId}/members/${adminRow.id}`).set(admin.auth).send({ role: 'owner' }).expect(403);
    // With a second owner, the first can step down.
    await t.http().patch(`/v1/workspaces/${owner.workspaceId}/members/${adminRow.id}`).set(owner.auth).send({ role: 'owner' }).expect(200);
    await t.http().patch(`/v1/workspaces/${owner.workspaceId}/members/${me.id}`).set(owner.auth).send({ role: 'admin' }).expect(200);
  });
});
