import { startApp, TestApp } from '../utils/test-app';

interface Response {
  description?: string;
  content?: Record<string, { schema?: { $ref?: string; allOf?: { $ref?: string; properties?: { code?: { enum?: string[] } } }[] } }>;
  headers?: Record<string, unknown>;
}
interface Operation {
  'x-permission'?: string;
  'x-authentication'?: string;
  requestBody?: unknown;
  parameters?: { in: string; name: string }[];
  responses: Record<string, Response>;
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
  let ops: { label: string; path: string; method: string; op: Operation }[];

  beforeAll(async () => {
    t = await startApp();
    const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };
    ops = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ label: `${method.toUpperCase()} ${path}`, path, method, op: item[method]! })));
    expect(ops.length).toBeGreaterThan(50);
  });
  afterAll(() => t.close());

  const publicRoute = (path: string) => /^\/v1\/(auth|invitations|webhooks)\//.test(path);

  it('names the permission of every route, or how a public one authenticates', () => {
    const missing = ops.filter(({ path, op }) => (publicRoute(path) ? !op['x-authentication'] || op['x-permission'] : !/^\S+ \S+|^none: /.test(op['x-permission'] ?? '')));
    expect(missing.map((o) => o.label)).toEqual([]);
    const workspaceScoped = ops.filter(({ path }) => path.startsWith('/v1/workspaces/{wid}'));
    expect(workspaceScoped.filter(({ op }) => !/^[a-z]+ [A-Z]\w+$/.test(op['x-permission'] ?? '')).map((o) => o.label)).toEqual([]);
  });

  it('documents every error response as the shared problem+json with its codes', () => {
    for (const { label, op } of ops) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect({ label, clientError: errors.some(([status]) => Number(status) < 500) }).toEqual({ label, clientError: true });
      for (const [status, response] of errors) expect({ label, status, codes: codes(response).length > 0 }).toEqual({ label, status, codes: true });
    }
  });

  it('gives every rate-limited route a 429 rate_limited with Retry-After (webhooks are never limited)', () => {
    for (const { label, path, op } of ops) {
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
});
