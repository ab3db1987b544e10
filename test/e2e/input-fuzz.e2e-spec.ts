import fc from 'fast-check';
import { connectWhatsapp, postWhatsapp } from '../utils/channels';
import { contactWith, sandboxInbound, conversationOf } from '../utils/conversations';
import { Account, signup } from '../utils/factories';
import { startApp, TestApp } from '../utils/test-app';

/** Strings PostgreSQL or a validator could trip on: NUL, lone surrogates, very long, injection-shaped. */
const nastyConstant = fc.constantFrom('ab\ud800cd', '\udc00', 'nul\u0000byte', '\u0000', '😀\ud83d', '', ' ', 'x'.repeat(5000), '__proto__', '../../etc/passwd', "'; drop table contacts; --", '2026-02-30T25:61:00Z');
const nastyString = fc.oneof({ weight: 3, arbitrary: nastyConstant }, { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) });
/** Numbers beyond what columns and validators hold. */
const hugeNumber = fc.oneof(fc.constantFrom(1e308, -1e308, 2 ** 64, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, 1e-300), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());
const scalar = fc.oneof(nastyString, hugeNumber, fc.boolean(), fc.constant(null));
/** Nested objects/arrays up to a modest depth. */
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ maxDepth: 4, depthSize: 'small' }, scalar, fc.array(tie('any'), { maxLength: 4 }), fc.dictionary(nastyString, tie('any'), { maxKeys: 4 })),
})).any;
/** What goes into one of the route's own fields: mostly hostile scalars, sometimes arrays for scalars or whole trees. */
const fieldValue = fc.oneof({ weight: 4, arbitrary: nastyString }, { weight: 2, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) }, { weight: 1, arbitrary: value });

/** The route's real field names with hostile values (plus now and then an unknown key), or a whole-body oddity. */
const bodyFor = (fields: string[]) =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.subarray(fields, { minLength: 1 }).chain((keys) => fc.tuple(...keys.map((k) => fieldValue.map((v) => [k, v] as const)))), fc.option(fc.tuple(nastyString, value), { freq: 5 }))
        .map(([pairs, extra]) => JSON.stringify(Object.fromEntries(extra ? [...pairs, extra] : pairs))),
    },
    { weight: 1, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.constantFrom('null', '[]', '"x"', '1e999', '{"a":', `${'['.repeat(70)}${']'.repeat(70)}`, `{"name":${'1'.repeat(400)}}`, '{"name":"\\ud800"}') },
  );
/** Percent-encodes every UTF-8 byte; a lone surrogate goes out as the invalid bytes ED A0 80 (CESU-8), as a hostile client would send it. */
const percent = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('').replace(/%ef%bf%bd/g, '%ed%a0%80');
const queryFor = (params: string[]) =>
  fc.array(fc.tuple(fc.constantFrom(...params), fc.oneof(nastyString, hugeNumber.map(String))), { minLength: 1, maxLength: 4 }).map((pairs) => pairs.map(([k, v]) => `${k}=${percent(v)}`).join('&'));

interface Target {
  method: 'post' | 'patch' | 'get';
  path: string;
  fields?: string[];
  query?: string[];
}

describe('fuzzing representative routes with hostile JSON and query strings', () => {
  let t: TestApp;
  let owner: Account;
  let targets: Target[];
  let whatsapp: { id: string; appSecret: string };

  beforeAll(async () => {
    t = await startApp();
    owner = await signup(t);
    const ws = `/v1/workspaces/${owner.workspaceId}`;
    whatsapp = await connectWhatsapp(t, owner);
    await sandboxInbound(t, owner, whatsapp.id, { from: '447700900123', text: 'hello' });
    const contact = await contactWith(t, owner, '447700900123');
    const conversation = await conversationOf(t, owner, contact.id);
    targets = [
      { method: 'post', path: '/v1/auth/login', fields: ['email', 'password'] },
      { method: 'post', path: `${ws}/contacts`, fields: ['name', 'identifiers', 'kind', 'value'] },
      { method: 'patch', path: `${ws}/contacts/${contact.id}`, fields: ['name', 'processingRestricted'] },
      { method: 'post', path: `${ws}/contacts/${contact.id}/consents`, fields: ['channelType', 'status', 'source', 'evidence'] },
      { method: 'post', path: `${ws}/api-keys`, fields: ['name', 'role', 'expiresAt'] },
      { method: 'post', path: `${ws}/roles`, fields: ['name', 'permissions', 'action', 'subject', 'conditions'] },
      { method: 'post', path: `${ws}/channels`, fields: ['type', 'name', 'config'] },
      { method: 'patch', path: ws, fields: ['name', 'businessName', 'contactEmail', 'settings', 'aiEnabled', 'defaultCountry'] },
      { method: 'patch', path: `${ws}/conversations/${conversation.id}`, fields: ['status', 'assigneeId', 'snoozedUntil', 'tags'] },
      { method: 'post', path: `${ws}/conversations/${conversation.id}/messages`, fields: ['text', 'channelId', 'template', 'replyToMessageId', 'attachments', 'html', 'subject'] },
      { method: 'get', path: `${ws}/search`, query: ['q', 'limit', 'cursor', 'channelId'] },
      { method: 'get', path: `${ws}/contacts`, query: ['query', 'limit', 'cursor'] },
      { method: 'get', path: `${ws}/conversations`, query: ['status', 'limit', 'cursor', 'assigneeId', 'channelId'] },
    ];
  });
  afterAll(() => t.close());

  it('answers every case below 500, as problem+json whenever it refuses', async () => {
    const seen: Record<string, number> = {};
    const arbitrary = fc.integer({ min: 0, max: 12 }).chain((i) => {
      const target = targets[i];
      return target.method === 'get'
        ? queryFor(target.query!).map((q) => ({ target, payload: q }))
        : bodyFor(target.fields!).map((body) => ({ target, payload: body }));
    });
    await fc.assert(
      fc.asyncProperty(arbitrary, async ({ target, payload }) => {
        const res =
          target.method === 'get'
            ? await t.http().get(`${target.path}?${payload}`).set(owner.auth)
            : await t.http()[target.method](target.path).set(owner.auth).set('content-type', 'application/json').send(payload);
        seen[res.status] = (seen[res.status] ?? 0) + 1;
        expect({ status: res.status < 500 ? 'below 500' : res.status, route: `${target.method} ${target.path}`, body: res.body }).toMatchObject({ status: 'below 500' });
        if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 200), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1e9) },
    );
    expect(Object.keys(seen).length).toBeGreaterThan(0);
  }, 120_000);

  it('stores any signed webhook body (malformed, deep, invalid Unicode) with a 200, never a 5xx', async () => {
    const raw = fc.oneof(
      value.map((v) => JSON.stringify({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: v }] }] })),
      bodyFor(['object', 'entry']),
    );
    await fc.assert(
      fc.asyncProperty(raw, async (body) => {
        const res = await postWhatsapp(t, whatsapp.id, body, whatsapp.appSecret);
        expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
      }),
      { numRuns: 60 },
    );
    await t.http().get(`/v1/workspaces/${owner.workspaceId}/channels/${whatsapp.id}/webhook-events?limit=200`).set(owner.auth).expect(200);
  }, 120_000);
});
