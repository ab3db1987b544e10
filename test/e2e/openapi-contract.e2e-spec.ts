import { startApp, TestApp } from '../utils/test-app';

interface Response {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string; allOf?: { $ref?: string; properties?: { code?: { enum?: string[] } } }[] } }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  summary?: string;
  operationId?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  'x-permission'?: string;
  'x-authentication'?: string;
  requestBody?: unknown;
  parameters?: { in: string; name: string; required?: boolean; schema?: { format?: string } }[];
  responses: Record<string, Response>;
}
interface Document {
  tags?: { name: string; description?: string }[];
  servers?: { url: string }[];
  components: { schemas: Record<string, unknown> };
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
/** API.md's sending refusals, all 422 (written out here: the contract, not the code's own list). */
const SEND_REFUSALS = ['whatsapp_window_closed', 'template_required', 'template_params_invalid', 'consent_required', 'contact_opted_out', 'recipient_unreachable', 'processing_restricted'];

/** The `code`s a documented problem response says it can carry; [] when it is not the shared Problem. */
function codes(response: Response | undefined): string[] {
  const schema = response?.content?.['application/problem+json']?.schema;
  if (!schema?.allOf?.some((s) => s.$ref === '#/components/schemas/Problem')) return [];
  return schema.allOf.flatMap((s) => s.properties?.code?.enum ?? []);
}

describe('the OpenAPI document describes every /v1 route', () => {
  let t: TestApp;
  let doc: Document;
  let ops: { label: string; path: string; method: string; op: Operation }[];

  beforeAll(async () => {
    t = await startApp();
    doc = (await t.http().get('/docs-json').expect(200)).body as Document;
    ops = Object.entries(doc.paths)
      .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ label: `${method.toUpperCase()} ${path}`, path, method, op: item[method]! })));
    expect(ops.filter(({ path }) => path.startsWith('/v1/')).length).toBeGreaterThan(50);
  });
  afterAll(() => t.close());

  const publicRoute = (path: string) => /^\/v1\/(auth|invitations|webhooks)\//.test(path);

  it('names the permission of every route, or how a public one authenticates', () => {
    const missing = ops.filter(({ path }) => path.startsWith('/v1/')).filter(({ path, op }) => (publicRoute(path) ? !op['x-authentication'] || op['x-permission'] : !/^\S+ \S+|^none: /.test(op['x-permission'] ?? '')));
    expect(missing.map((o) => o.label)).toEqual([]);
    const workspaceScoped = ops.filter(({ path }) => path.startsWith('/v1/workspaces/{wid}'));
    expect(workspaceScoped.filter(({ op }) => !/^[a-z]+ [A-Z]\w+$/.test(op['x-permission'] ?? '')).map((o) => o.label)).toEqual([]);
  });

  it('documents every error response as the shared problem+json with its codes', () => {
    for (const { label, path, op } of ops) {
      if (!path.startsWith('/v1/')) continue;
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect({ label, clientError: errors.some(([status]) => Number(status) < 500) }).toEqual({ label, clientError: true });
      for (const [status, response] of errors) expect({ label, status, codes: codes(response).length > 0 }).toEqual({ label, status, codes: true });
    }
  });

  it('gives every rate-limited route a 429 rate_limited with Retry-After (webhooks are never limited)', () => {
    for (const { label, path, op } of ops) {
      if (!path.startsWith('/v1/')) continue;
      if (path.startsWith('/v1/webhooks/')) {
        expect({ label, has429: '429' in op.responses }).toEqual({ label, has429: false });
        continue;
      }
      expect({ label, codes: codes(op.responses['429']) }).toEqual({ label, codes: ['rate_limited'] });
      expect(op.responses['429'].headers).toHaveProperty('Retry-After');
    }
  });

  it('adds the layers’ answers: 400 for bodies and queries, 413/415 for bodies, 409 workspace_closed inside a workspace', () => {
    for (const { label, path, method, op } of ops) {
      if (!path.startsWith('/v1/')) continue;
      const has = (status: string, code: string) => codes(op.responses[status]).includes(code);
      const query = (op.parameters ?? []).some((p) => p.in === 'query');
      if (op.requestBody || query) expect({ label, validation: has('400', 'validation_failed') }).toEqual({ label, validation: true });
      if (op.requestBody) expect({ label, tooLarge: has('413', 'payload_too_large'), notJson: has('415', 'unsupported_media_type') }).toEqual({ label, tooLarge: true, notJson: true });
      if (method === 'post') {
        expect({ label, reused: has('422', 'idempotency_key_reused'), header: op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key') }).toEqual({ label, reused: true, header: true });
      }
      if (path.startsWith('/v1/workspaces/{wid}')) {
        const allowedWhileClosing = (method === 'get' && path === '/v1/workspaces/{wid}') || path === '/v1/workspaces/{wid}/restore';
        expect({ label, closed: has('409', 'workspace_closed') }).toEqual({ label, closed: !allowedWhileClosing });
      }
    }
  });

  it('lists the route-specific conflicts of members and roles next to workspace_closed', () => {
    for (const label of ['POST /v1/workspaces/{wid}/members', 'PATCH /v1/workspaces/{wid}/members/{memberId}', 'DELETE /v1/workspaces/{wid}/members/{memberId}', 'POST /v1/workspaces/{wid}/roles', 'PATCH /v1/workspaces/{wid}/roles/{roleId}', 'DELETE /v1/workspaces/{wid}/roles/{roleId}']) {
      const found = ops.find((o) => o.label === label);
      expect({ label, codes: codes(found?.op.responses['409']).sort() }).toEqual({ label, codes: ['conflict', 'workspace_closed'] });
    }
    const removeMember = ops.find((o) => o.label === 'DELETE /v1/workspaces/{wid}/members/{memberId}')!;
    expect(removeMember.op.responses['409'].description).toMatch(/last owner/);
  });

  it('lists every send refusal on the send routes’ 422', () => {
    const sends = ops.filter(({ op }) => op['x-permission'] === 'send Message');
    expect(sends.map((o) => o.label)).toEqual(expect.arrayContaining(['POST /v1/workspaces/{wid}/conversations/{conversationId}/messages', 'POST /v1/workspaces/{wid}/messages']));
    for (const { label, method, op } of sends) {
      const expected = [...SEND_REFUSALS, ...(method === 'post' ? ['idempotency_key_reused'] : [])].sort();
      expect({ label, codes: codes(op.responses['422']).sort() }).toEqual({ label, codes: expected });
      for (const code of SEND_REFUSALS) expect(op.responses['422'].description).toContain(code);
    }
  });

  it('documents the provider webhooks’ 401 as invalid_signature', () => {
    const webhooks = ops.filter(({ path }) => path.startsWith('/v1/webhooks/'));
    expect(webhooks.length).toBeGreaterThan(0);
    for (const { label, op } of webhooks) expect({ label, codes: codes(op.responses['401']) }).toEqual({ label, codes: ['invalid_signature'] });
  });

  it('is complete: summary, unique camelCase operationId, a declared tag, a 2xx body schema, every path parameter, security', () => {
    const declaredTags = new Set((doc.tags ?? []).filter((t) => t.description).map((t) => t.name));
    const ids = ops.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.servers?.length).toBeGreaterThan(0);
    for (const { label, path, op } of ops) {
      const [status, ok] = Object.entries(op.responses).find(([s]) => /^2/.test(s)) ?? [];
      const body = ok?.content && Object.values(ok.content)[0]?.schema;
      const bodyRef = (body as { $ref?: string } | undefined)?.$ref?.replace('#/components/schemas/', '');
      // A text or binary answer is `type: string`; a JSON one must say more than `type: object`.
      const emptyObject = (s: unknown) => !!s && typeof s === 'object' && (s as { type?: string }).type !== 'string' && !Object.keys(s).some((k) => k !== 'type' && k !== 'description');
      const params = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect({
        label,
        summary: !!op.summary,
        operationId: /^[a-z][A-Za-z0-9]+$/.test(op.operationId ?? ''),
        tag: (op.tags ?? []).length === 1 && declaredTags.has(op.tags![0]),
        body: status === '204' ? !ok?.content : !!body && !emptyObject(bodyRef ? doc.components.schemas[bodyRef] : body),
        params: params.map((p) => p.name).sort(),
        required: params.every((p) => p.required && (p.name === 'token' || p.schema?.format === 'uuid')),
        security: Array.isArray(op.security),
      }).toEqual({ label, summary: true, operationId: true, tag: true, body: true, params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort(), required: true, security: true });
      const isPublic = !op['x-permission'];
      expect({ label, security: op.security }).toEqual({ label, security: isPublic ? [] : expect.arrayContaining([{ bearer: [] }]) });
    }
  });

  it('declares RateLimit-* on every answer of a limited route, and the documented 401/403/404 of refresh, WhatsApp verify and invitations', () => {
    for (const { label, op } of ops.filter((o) => o.path.startsWith('/v1/') && !o.path.startsWith('/v1/webhooks/'))) {
      for (const [status, response] of Object.entries(op.responses)) {
        expect({ label, status, headers: Object.keys(response.headers ?? {}).filter((h) => h.startsWith('RateLimit-')).sort() }).toEqual({ label, status, headers: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'] });
      }
    }
    const op = (label: string) => ops.find((o) => o.label === label)!.op;
    expect(codes(op('POST /v1/auth/refresh').responses['401'])).toEqual(['unauthorized']);
    expect(codes(op('GET /v1/webhooks/whatsapp/{channelId}').responses['403'])).toEqual(['forbidden']);
    expect(codes(op('POST /v1/invitations/{token}/accept').responses['404'])).toEqual(['not_found']);
    expect(Object.keys(op('GET /v1/webhooks/whatsapp/{channelId}').responses['200'].content ?? {})).toEqual(['text/plain']);
    expect(Object.keys(op('GET /metrics').responses['200'].content ?? {})).toEqual(['text/plain; version=0.0.4']);
  });
});
