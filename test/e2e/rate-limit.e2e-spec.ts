import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { apiKey, PASSWORD, signup, uniqueEmail } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';
import { expectProblem } from '../utils/workspace-fixtures';

const PER_CALLER = 5;
const PER_WORKSPACE = 8;
const PER_AUTH = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rate = (res: Response) => ({ limit: res.headers['ratelimit-limit'], remaining: res.headers['ratelimit-remaining'], reset: res.headers['ratelimit-reset'] });

function expectRateLimited(res: Response): void {
  expectProblem(res, 429, 'rate_limited');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
  expect(rate(res).remaining).toBe('0');
}

describe('rate limits', () => {
  /** Normal limits: builds fixtures without spending the counters under test. */
  let main: TestApp;
  /** Two API instances with low limits sharing one Redis, like two replicas behind a load balancer. */
  let one: TestApp;
  let two: TestApp;

  beforeAll(async () => {
    main = await startApp();
    const env = {
      RATE_LIMIT_PER_MINUTE: String(PER_CALLER),
      RATE_LIMIT_WORKSPACE_PER_MINUTE: String(PER_WORKSPACE),
      RATE_LIMIT_AUTH_PER_MINUTE: String(PER_AUTH),
      // Fresh counters for this run: other suites in this worker have signed up many people from 127.0.0.1.
      REDIS_PREFIX: `nzt-rl-${randomUUID().slice(0, 8)}`,
      // As behind a load balancer: the per-IP tests vary X-Forwarded-For.
      TRUST_PROXY: 'true',
    };
    one = await startApp(env);
    two = await startApp(env);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([main.close(), one.close(), two.close()]);
  });

  it('puts RateLimit-Limit, -Remaining and -Reset on every answer, errors included', async () => {
    const owner = await signup(main, 'headers');
    const viewerKey = await apiKey(main, owner, 'viewer');
    const other = await signup(main, 'elsewhere');
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    const answers = [
      await one.http().get(ws).set(owner.auth),
      await one.http().post(`${ws}/members`).set(owner.auth).send({ email: uniqueEmail(), role: 'agent' }),
      await one.http().post(`${ws}/members`).set(owner.auth).send({}),
      await one.http().get(`/v1/workspaces/${other.workspaceId}`).set(owner.auth),
      await one.http().get(`${ws}/members`).set(viewerKey.headers),
      await one.http().get('/v1/me').set('Authorization', 'Bearer not-a-token'),
      await one.http().post('/v1/auth/login').set('X-Forwarded-For', '192.0.2.10').send({ email: uniqueEmail('nobody'), password: PASSWORD }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 201, 400, 404, 403, 401, 401]);
    for (const res of answers) {
      expect(rate(res)).toEqual({ limit: expect.stringMatching(/^\d+$/), remaining: expect.stringMatching(/^\d+$/), reset: expect.stringMatching(/^\d+$/) });
      expect(Number(rate(res).reset)).toBeGreaterThanOrEqual(1);
      expect(Number(rate(res).reset)).toBeLessThanOrEqual(60);
    }
    // The owner's own budget counts down across its first four answers.
    expect(answers.slice(0, 4).map(rate)).toEqual(['4', '3', '2', '1'].map((remaining) => expect.objectContaining({ limit: String(PER_CALLER), remaining })));
    // Sign-in reports its tighter per-email/IP budget.
    expect(rate(answers[6])).toMatchObject({ limit: String(PER_AUTH), remaining: String(PER_AUTH - 1) });
  });

  it('answers 429 rate_limited with Retry-After once a key is over its limit; another credential still passes', async () => {
    const owner = await signup(main, 'burst');
    const key = await apiKey(main, owner, 'admin');
    const url = `/v1/workspaces/${owner.workspaceId}/members`;
    const remaining: string[] = [];
    for (let i = 0; i < PER_CALLER; i++) remaining.push(rate(await one.http().get(url).set(key.headers).expect(200)).remaining);
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);

    const over = await one.http().get(url).set(key.headers);
    expectRateLimited(over);
    expect(rate(over).limit).toBe(String(PER_CALLER));
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(Number(rate(over).reset));

    await one.http().get(url).set(owner.auth).expect(200);
  });

  it('counts a person, not a token: two sessions of one person share one budget', async () => {
    const person = await signup(main, 'sessions');
    await sleep(1100); // a token minted in another second differs
    const second = (await main.http().post('/v1/auth/login').send({ email: person.email, password: PASSWORD }).expect(200)).body.accessToken;
    expect(second).not.toBe(person.accessToken);
    const other = { Authorization: `Bearer ${second}` };
    for (let i = 0; i < 3; i++) await one.http().get('/v1/me').set(person.auth).expect(200);
    for (let i = 0; i < 2; i++) await one.http().get('/v1/me').set(other).expect(200);
    expectRateLimited(await one.http().get('/v1/me').set(other));
    expectRateLimited(await one.http().get('/v1/me').set(person.auth));
  });

  it('limits sign-in per email: after too many wrong passwords even the right one answers 429; another email still signs in', async () => {
    const victim = await signup(main, 'victim');
    const bystander = await signup(main, 'bystander');
    // Each attempt comes from its own address (as forwarded by the load balancer), so only the
    // per-email budget can trip; the email is matched case-insensitively.
    const from = (n: number) => `203.0.113.${n}`;
    for (let i = 1; i <= PER_AUTH; i++) {
      const email = i === 2 ? victim.email.toUpperCase() : victim.email;
      await one.http().post('/v1/auth/login').set('X-Forwarded-For', from(i)).send({ email, password: 'wrong-password!' }).expect(401);
    }
    expectRateLimited(await one.http().post('/v1/auth/login').set('X-Forwarded-For', from(10)).send({ email: victim.email, password: PASSWORD }));
    await one.http().post('/v1/auth/login').set('X-Forwarded-For', from(11)).send({ email: bystander.email, password: PASSWORD }).expect(200);
  });

  it("shares a workspace's budget among all its callers", async () => {
    const owner = await signup(main, 'shared');
    const key = await apiKey(main, owner, 'viewer');
    const url = `/v1/workspaces/${owner.workspaceId}`;
    for (let i = 0; i < PER_WORKSPACE / 2; i++) await one.http().get(url).set(owner.auth).expect(200);
    let last!: Response;
    for (let i = 0; i < PER_WORKSPACE / 2; i++) last = await one.http().get(url).set(key.headers).expect(200);
    expect(rate(last)).toMatchObject({ limit: String(PER_WORKSPACE), remaining: '0' });

    // Both are within their own budgets, but the workspace's is spent.
    expectRateLimited(await one.http().get(url).set(owner.auth));
    expectRateLimited(await one.http().get(url).set(key.headers));
    const neighbour = await signup(main, 'neighbour');
    await one.http().get(`/v1/workspaces/${neighbour.workspaceId}`).set(neighbour.auth).expect(200);
  });

  it("spends a workspace's budget only on its members: outsiders hammering its URLs spend their own", async () => {
    const owner = await signup(main, 'besieged');
    const key = await apiKey(main, owner, 'viewer');
    const outsider = await signup(main, 'outsider');
    const outsiderKey = await apiKey(main, outsider, 'owner');
    const ws = `/v1/workspaces/${owner.workspaceId}`;

    // More anonymous calls than the workspace allows, each from its own address so none runs out.
    for (let i = 1; i <= PER_WORKSPACE + 2; i++) {
      const res = await one.http().get(`${ws}/members`).set('X-Forwarded-For', `198.51.100.${i}`);
      expectProblem(res, 401, 'unauthorized');
      expect(rate(res)).toMatchObject({ limit: String(PER_CALLER), remaining: String(PER_CALLER - 1) });
    }
    // A signed-in non-member and another workspace's key get 404 and spend only their own budget.
    const seen: string[] = [];
    for (let i = 0; i < PER_CALLER; i++) {
      const res = await one.http().get(ws).set(outsider.auth);
      expectProblem(res, 404, 'not_found');
      seen.push(rate(res).remaining);
    }
    expect(seen).toEqual(['4', '3', '2', '1', '0']);
    expectRateLimited(await one.http().get(ws).set(outsider.auth));
    for (let i = 0; i < PER_CALLER; i++) expectProblem(await one.http().get(`${ws}/members`).set(outsiderKey.headers), 404, 'not_found');

    // The members still have the workspace's whole budget.
    let last!: Response;
    for (let i = 0; i < PER_WORKSPACE / 2; i++) await one.http().get(ws).set(owner.auth).expect(200);
    for (let i = 0; i < PER_WORKSPACE / 2; i++) last = await one.http().get(ws).set(key.headers).expect(200);
    expect(rate(last)).toMatchObject({ limit: String(PER_WORKSPACE), remaining: '0' });
    expectRateLimited(await one.http().get(ws).set(owner.auth));
  });

  it('puts RateLimit-* on answers made before any guard runs, counting each once against the caller', async () => {
    const owner = await signup(main, 'early');
    const ip = '192.0.2.77';
    const members = `/v1/workspaces/${owner.workspaceId}/members`;
    const answers = [
      await one.http().get('/v1/no-such-route').set('X-Forwarded-For', ip),
      await one.http().post(members).set('X-Forwarded-For', ip).set('content-type', 'application/json').send('{"email": '),
      await one.http().post(members).set('X-Forwarded-For', ip).set('content-type', 'text/plain').send('email=a@b.c'),
      await one.http().post(members).set('X-Forwarded-For', ip).set('content-type', 'application/json').send(JSON.stringify({ pad: 'x'.repeat(10 * 1024 * 1024) })),
      // A request that reaches the guards counts on the same budget, once.
      await one.http().get('/v1/me').set('X-Forwarded-For', ip),
      await one.http().get('/v1/no-such-route').set('X-Forwarded-For', ip),
    ];
    expect(answers.map((r) => [r.status, r.body?.code])).toEqual([
      [404, 'not_found'],
      [400, 'validation_failed'],
      [415, 'unsupported_media_type'],
      [413, 'payload_too_large'],
      [401, 'unauthorized'],
      [404, 'not_found'],
    ]);
    for (const res of answers) expect(Number(rate(res).reset)).toBeGreaterThanOrEqual(1);
    expect(answers.map(rate)).toEqual(['4', '3', '2', '1', '0', '0'].map((remaining) => expect.objectContaining({ limit: String(PER_CALLER), remaining })));
    // The budget is spent, so the next guarded call is refused.
    expectRateLimited(await one.http().get('/v1/me').set('X-Forwarded-For', ip));
  });

  it('counts random X-API-Key values and invalid bearer tokens against the client IP, not per value', async () => {
    const owner = await signup(main, 'random-keys');
    const url = `/v1/workspaces/${owner.workspaceId}/members`;
    const randomKey = () => `nzk_${randomUUID().replace(/-/g, '').slice(0, 12)}_${randomUUID().replace(/-/g, '')}`;
    for (const [ip, credential] of [
      ['192.0.2.88', () => ({ 'X-API-Key': randomKey() })],
      ['192.0.2.89', () => ({ Authorization: `Bearer ${randomUUID()}` })],
    ] as const) {
      const answers: Response[] = [];
      for (let i = 0; i < 20; i++) answers.push(await one.http().get(url).set('X-Forwarded-For', ip).set(credential()));
      expect(answers.slice(0, PER_CALLER).map((r) => r.status)).toEqual(Array(PER_CALLER).fill(401));
      for (const over of answers.slice(PER_CALLER)) expectRateLimited(over);
      expect(rate(answers[PER_CALLER])).toMatchObject({ limit: String(PER_CALLER), remaining: '0' });
    }
    // A valid credential from another address is not affected.
    await one.http().get(url).set('X-Forwarded-For', '192.0.2.90').set(owner.auth).expect(200);
  });

  it('keeps the counters in Redis: a second instance continues the same count', async () => {
    const owner = await signup(main, 'cluster');
    const key = await apiKey(main, owner, 'admin');
    const url = `/v1/workspaces/${owner.workspaceId}/members`;
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push(rate(await one.http().get(url).set(key.headers).expect(200)).remaining);
    for (let i = 0; i < 2; i++) seen.push(rate(await two.http().get(url).set(key.headers).expect(200)).remaining);
    expect(seen).toEqual(['4', '3', '2', '1', '0']);
    expectRateLimited(await two.http().get(url).set(key.headers));
    expectRateLimited(await one.http().get(url).set(key.headers));
  });
});
