import { tmpdir } from 'node:os';
import { relative, resolve } from 'node:path';
import { startApp, TestApp } from '../utils/test-app';

describe('test storage', () => {
  it('keeps files in a temporary directory of this run, never in the dev ./storage', () => {
    const dir = resolve(process.env.STORAGE_DIR!);
    expect(relative(tmpdir(), dir)).not.toMatch(/^\.\./);
    expect(dir).not.toBe(resolve('storage'));
  });
});

describe('HTTP platform', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('is live and ready when PostgreSQL and Redis answer', async () => {
    await t.http().get('/health/live').expect(200, { status: 'ok' });
    const res = await t.http().get('/health/ready').expect(200);
    expect(res.body.status).toBe('ok');
    expect(Object.keys(res.body.info)).toEqual(expect.arrayContaining(['postgres', 'redis']));
  });

  it('serves a valid OpenAPI 3 document with both security schemes and the problem schema', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.components.securitySchemes).toMatchObject({
      bearer: { type: 'http', scheme: 'bearer' },
      'api-key': { type: 'apiKey', in: 'header', name: 'X-API-Key' },
    });
    expect(res.body.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    await t.http().get('/docs').expect(200).expect('content-type', /html/);
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await t.http().get('/v1/nothing-here').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'not_found', title: expect.any(String), detail: expect.any(String) });
    expect(res.body.type).toBeDefined();
  });

  it('answers malformed JSON with 400 validation_failed', async () => {
    const res = await t.http().post('/v1/nothing-here').set('content-type', 'application/json').send('{"a": ').expect(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('validation_failed');
  });

  it('answers an 11 MiB body with 413 payload_too_large', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(11 * 1024 * 1024) });
    const res = await t.http().post('/v1/nothing-here').set('content-type', 'application/json').send(big).expect(413);
    expect(res.body.code).toBe('payload_too_large');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('echoes a caller request id and mints one otherwise', async () => {
    const echoed = await t.http().get('/health/live').set('X-Request-Id', 'req-abc.123').expect(200);
    expect(echoed.headers['x-request-id']).toBe('req-abc.123');
    const minted = await t.http().get('/health/live').expect(200);
    expect(minted.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await t.http().get('/health/live').set('X-Request-Id', 'bad id\twith spaces').expect(200);
    expect(unsafe.headers['x-request-id']).not.toContain(' ');
    const problem = await t.http().get('/nope').set('X-Request-Id', 'trace-42').expect(404);
    expect(problem.headers['x-request-id']).toBe('trace-42');
    expect(problem.body.requestId).toBe('trace-42');
  });

  it('exposes Prometheus metrics with the HTTP duration histogram', async () => {
    await t.http().get('/health/live');
    const res = await t.http().get('/metrics').expect(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toMatch(/http_request_duration_seconds_bucket\{[^}]*route="\/health\/live"[^}]*status_code="200"/);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });

  it('documents GET /metrics in OpenAPI as a text/plain answer', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body;
    const op = doc.paths['/metrics']?.get;
    expect(op).toBeDefined();
    expect(Object.keys(op.responses['200'].content)).toEqual([expect.stringMatching(/^text\/plain/)]);
  });
});

describe('readiness with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // An API process: Bull processors whose Redis never answered reject unhandled when the app closes
    // (@nestjs/bull drops the promise of queue.process), which jest would pin on this test.
    t = await startApp({ APP_ROLE: 'api', TEST_REDIS_URL: '', REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(() => t.close());

  it('turns /health/ready to 503 while /health/live stays 200', async () => {
    await t.http().get('/health/live').expect(200);
    const res = await t.http().get('/health/ready').expect(503);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.body.code).toBe('service_unavailable');
  });
});
