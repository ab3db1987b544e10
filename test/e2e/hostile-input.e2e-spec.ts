import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AppConfig } from '../../src/config';
import { connectWhatsapp, hubSignature, postWhatsapp, waitForLedger } from '../utils/channels';
import { Account, PASSWORD, signup, uniqueEmail } from '../utils/factories';
import { rawRequest, requestHead } from '../utils/raw-http';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

const PROBLEM = /^application\/problem\+json/;
const ELEVEN_MIB = 11 * 1024 * 1024;
const nested = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

describe('hostile input at the edge', () => {
  let t: TestApp;
  let owner: Account;
  const ws = (rest = '') => `/v1/workspaces/${owner.workspaceId}${rest}`;

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
  });
  afterAll(() => t.close());

  describe('oversize bodies', () => {
    const body = Buffer.alloc(ELEVEN_MIB, 'x');
    it.each([
      ['a provider webhook', () => `/v1/webhooks/whatsapp/${randomUUID()}`],
      ['a REST route', () => ws('/contacts')],
      ['sign-in', () => '/v1/auth/login'],
    ])('answer %s sent 11 MiB with 413 problem+json that the client reads (no reset)', async (_what, path) => {
      const head = requestHead('POST', path(), { 'Content-Type': 'application/json', 'Content-Length': body.length, ...owner.auth });
      const res = await rawRequest(t.url, head, body);
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(JSON.parse(res.body).code).toBe('payload_too_large');
    });

    it('answers a chunked body that grows past 10 MiB with 413 too', async () => {
      const head = requestHead('POST', '/v1/auth/login', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
      const chunk = Buffer.alloc(1024 * 1024, 'y');
      const framed = Buffer.concat([...Array.from({ length: 11 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])), Buffer.from('0\r\n\r\n')]);
      const res = await rawRequest(t.url, head, framed);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body).code).toBe('payload_too_large');
    });
  });

  describe('framework errors are problem+json with a stable code', () => {
    const json = { 'content-type': 'application/json' };
    it.each<[string, () => { method: 'get' | 'post' | 'delete' | 'put'; path: string; headers?: Record<string, string>; body?: string }, number, string]>([
      ['a 500-character path parameter', () => ({ method: 'get', path: ws(`/contacts/${'a'.repeat(500)}`) }), 414, 'validation_failed'],
      ['a malformed %-escape in a path parameter', () => ({ method: 'get', path: ws('/contacts/%E0%A4%A') }), 400, 'validation_failed'],
      ['an unknown route', () => ({ method: 'get', path: '/v1/nothing-here' }), 404, 'not_found'],
      ['an unknown route outside /v1', () => ({ method: 'get', path: '/nothing-here' }), 404, 'not_found'],
      ['a method the path does not have', () => ({ method: 'delete', path: '/v1/auth/login' }), 404, 'not_found'],
      ['a non-JSON content type', () => ({ method: 'post', path: '/v1/auth/login', headers: { 'content-type': 'text/plain' }, body: 'hello' }), 415, 'unsupported_media_type'],
      ['a form-encoded body', () => ({ method: 'post', path: '/v1/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' }), 415, 'unsupported_media_type'],
      ['malformed JSON', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: '{"email": ' }), 400, 'validation_failed'],
      ['a JSON null body', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: 'null' }), 400, 'validation_failed'],
      ['a JSON array body', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: '[1,2]' }), 400, 'validation_failed'],
      ['a JSON string body', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: '"x"' }), 400, 'validation_failed'],
      ['JSON nested 65 deep', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: nested(65) }), 400, 'validation_failed'],
      ['JSON nested 100,000 deep', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: nested(100_000) }), 400, 'validation_failed'],
      ['a __proto__ key', () => ({ method: 'post', path: '/v1/auth/login', headers: json, body: '{"__proto__": {"x": 1}, "email": "nobody@example.test", "password": "wrong-password-1"}' }), 401, 'unauthorized'],
    ])('%s', async (_what, build, status, code) => {
      const c = build();
      let req = t.http()[c.method](c.path).set(c.headers ?? {});
      if (c.body !== undefined) req = req.send(c.body);
      const res = await req;
      expectProblem(res, status, code);
      expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
    });

    it.each([
      ['a NUL byte in a header value', requestHead('GET', '/v1/me', { 'X-Test': 'a\u0000b' })],
      ['a malformed request line', 'GET /v1/me HTTP/1.1 extra\r\n\r\n'],
      ['an invalid Content-Length', requestHead('POST', '/v1/auth/login', { 'Content-Length': 'abc', 'Content-Type': 'application/json' })],
    ])('answers %s (rejected by Node before routing) with 400 problem+json', async (_what, head) => {
      const res = await rawRequest(t.url, head);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      expect(JSON.parse(res.body)).toMatchObject({ status: 400, code: 'validation_failed' });
    });
  });

  describe('NUL and lone surrogates are refused with 400 before SQL', () => {
    it('in the search query and the contact query', async () => {
      expectProblem(await t.http().get(ws('/search?q=nul%00byte')).set(owner.auth), 400, 'validation_failed');
      expectProblem(await t.http().get(ws('/contacts?query=ab%00')).set(owner.auth), 400, 'validation_failed');
    });

    it('in a path parameter', async () => {
      expectProblem(await t.http().get(ws('/contacts/%00')).set(owner.auth), 400, 'validation_failed');
    });

    it('in a PATCH body, leaving the contact unchanged', async () => {
      const created = await t.http().post(ws('/contacts')).set(owner.auth).send({ name: 'Before', identifiers: [{ kind: 'email', value: uniqueEmail('c') }] }).expect(201);
      for (const name of ['ab\ud800cd', 'tail\udc00', 'nul\u0000']) {
        const res = await t.http().patch(ws(`/contacts/${created.body.id}`)).set(owner.auth).set('content-type', 'application/json').send(JSON.stringify({ name }));
        expectProblem(res, 400, 'validation_failed');
        expect(res.body.errors).toEqual([{ field: 'name', message: expect.stringContaining('surrogate') }]);
      }
      expect((await t.http().get(ws(`/contacts/${created.body.id}`)).set(owner.auth).expect(200)).body.name).toBe('Before');
    });

    it('in a nested field and in an object key', async () => {
      const body = JSON.stringify({ identifiers: [{ kind: 'email', value: 'x\ud800@example.test' }] });
      const res = await t.http().post(ws('/contacts')).set(owner.auth).set('content-type', 'application/json').send(body);
      expectProblem(res, 400, 'validation_failed');
      expect(res.body.errors[0].field).toBe('identifiers[0].value');
      expectProblem(await t.http().post(ws('/contacts')).set(owner.auth).set('content-type', 'application/json').send('{"\\u0000": 1}'), 400, 'validation_failed');
    });

    it('when creating an API key, and no key is created', async () => {
      const before = (await t.http().get(ws('/api-keys')).set(owner.auth).expect(200)).body.data.length;
      const res = await t.http().post(ws('/api-keys')).set(owner.auth).set('content-type', 'application/json').send(JSON.stringify({ name: 'k\ud800', role: 'admin' }));
      expectProblem(res, 400, 'validation_failed');
      expect((await t.http().get(ws('/api-keys')).set(owner.auth).expect(200)).body.data.length).toBe(before);
    });

    it('in the email of sign-up and sign-in (unauthenticated)', async () => {
      const signupBody = JSON.stringify({ email: 'a\ud800@example.test', password: PASSWORD, name: 'x', workspaceName: 'y' });
      expectProblem(await t.http().post('/v1/auth/signup').set('content-type', 'application/json').send(signupBody), 400, 'validation_failed');
      const loginBody = JSON.stringify({ email: 'a\udfff@example.test', password: PASSWORD });
      expectProblem(await t.http().post('/v1/auth/login').set('content-type', 'application/json').send(loginBody), 400, 'validation_failed');
    });

    it('but a signed provider webhook carrying NUL is still stored (its bytes are signed)', async () => {
      const wa = await connectWhatsapp(t, owner);
      const raw = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [{ id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '1' }, contacts: [{ wa_id: '15550001111', profile: { name: 'N' } }], messages: [{ from: '15550001111', id: `wamid.${randomUUID()}`, timestamp: '1700000000', type: 'text', text: { body: 'nul\u0000here' } }] } }] }],
      });
      const res = await t.http().post(`/v1/webhooks/whatsapp/${wa.id}`).set('content-type', 'application/json').set('x-hub-signature-256', hubSignature(raw, wa.appSecret)).send(raw).expect(200);
      expect(res.body.eventId).toEqual(expect.any(String));
      await waitForLedger(t, owner, wa.id, (events) => events.some((e) => e.id === res.body.eventId));
    });
  });

  describe('JSON depth', () => {
    it('stores a 5,000-deep signed webhook as ignored with a reason, and the ledger list still answers', async () => {
      const wa = await connectWhatsapp(t, owner);
      const raw = `{"object":"whatsapp_business_account","entry":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      const res = await postWhatsapp(t, wa.id, raw, wa.appSecret).expect(200);
      expect(res.body.status).toBe('ignored');
      const events = await waitForLedger(t, owner, wa.id, (list) => list.some((e) => e.id === res.body.eventId));
      const stored = events.find((e) => e.id === res.body.eventId);
      expect(stored).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/deeper than 64/) });
      expect(typeof stored.payload).toBe('string');
    });
  });

  describe('query parameters are the scalars they must be', () => {
    it('WhatsApp verification with a repeated hub.verify_token answers 403 problem+json, not 500', async () => {
      const wa = await connectWhatsapp(t, owner);
      const res = await t.http().get(`/v1/webhooks/whatsapp/${wa.id}?hub.mode=subscribe&hub.verify_token=a&hub.verify_token=b&hub.challenge=c`);
      expect([400, 403]).toContain(res.status);
      expect(res.headers['content-type']).toMatch(PROBLEM);
      const repeatedChallenge = await t.http().get(`/v1/webhooks/whatsapp/${wa.id}?hub.mode=subscribe&hub.mode=subscribe&hub.challenge=c&hub.challenge=d`);
      expect([400, 403]).toContain(repeatedChallenge.status);
    });

    it('a repeated list parameter answers 400', async () => {
      expectProblem(await t.http().get(ws('/contacts?query=a&query=b')).set(owner.auth), 400, 'validation_failed');
      expectProblem(await t.http().get(ws('/contacts?limit=1&limit=2')).set(owner.auth), 400, 'validation_failed');
    });
  });

  describe('null where an object or a non-nullable value is expected', () => {
    it('{"processingRestricted": null} is refused; {"name": null} clears the nullable name as documented', async () => {
      const created = await t.http().post(ws('/contacts')).set(owner.auth).send({ name: 'Named', identifiers: [{ kind: 'email', value: uniqueEmail('n') }] }).expect(201);
      expectProblem(await t.http().patch(ws(`/contacts/${created.body.id}`)).set(owner.auth).send({ processingRestricted: null }), 400, 'validation_failed');
      const cleared = await t.http().patch(ws(`/contacts/${created.body.id}`)).set(owner.auth).send({ name: null }).expect(200);
      expect(cleared.body.name).toBeNull();
    });
  });

  describe('access tokens', () => {
    it('a correctly signed JWT without exp is refused', async () => {
      const secret = new AppConfig().env.JWT_SECRET;
      const claims = { sub: owner.userId, typ: 'access' };
      const withExp = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) + 60 }, secret, { algorithm: 'HS256' });
      await t.http().get('/v1/me').set('Authorization', `Bearer ${withExp}`).expect(200);
      const noExp = jwt.sign(claims, secret, { algorithm: 'HS256' });
      expectProblem(await t.http().get('/v1/me').set('Authorization', `Bearer ${noExp}`), 401, 'unauthorized');
      expectProblem(await t.http().get(ws('/contacts')).set('Authorization', `Bearer ${noExp}`), 401, 'unauthorized');
    });
  });
});
