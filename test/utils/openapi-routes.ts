import type { Response } from 'supertest';
import { v7 as uuidv7 } from 'uuid';
import type { Creds } from './workspace-fixtures';
import type { TestApp } from './test-app';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type Method = (typeof METHODS)[number];

export interface ApiRoute {
  method: Method;
  /** OpenAPI template, e.g. `/v1/workspaces/{wid}/members/{memberId}`. */
  path: string;
}

export const WORKSPACE_PREFIX = '/v1/workspaces/{wid}';

/** Every operation the running app documents under `/v1/workspaces/{wid}`, read from `/docs-json`. */
export async function workspaceRoutes(t: TestApp): Promise<ApiRoute[]> {
  const doc = (await t.http().get('/docs-json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path]) => path === WORKSPACE_PREFIX || path.startsWith(`${WORKSPACE_PREFIX}/`))
    .flatMap(([path, ops]) => METHODS.filter((m) => m in ops).map((method) => ({ method, path })));
}

export const pathParams = (template: string): string[] => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

export function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for {${name}} in ${template}`);
    return values[name];
  });
}

export const routeLabel = (r: ApiRoute) => `${r.method.toUpperCase()} ${r.path}`;

/** Sends one request; bodied methods get a minimal JSON body `{}`. */
export function sendTo(t: TestApp, method: Method, path: string, creds: Creds): Promise<Response> {
  const req = t.http()[method](path).set(creds);
  return method === 'post' || method === 'put' || method === 'patch' ? req.send({}) : req;
}

/**
 * Values for every path parameter of `route` except `{wid}`: the workspace's real record from
 * `known` (by parameter name), else the first record its collection lists (`GET …/members` for
 * `{memberId}`), else a random UUIDv7. Routes added later thus still get a value without an edit.
 */
export async function idsFor(
  t: TestApp,
  route: ApiRoute,
  wid: string,
  ownerCreds: Creds,
  known: Record<string, string> = {},
  cache = new Map<string, string>(),
): Promise<Record<string, string>> {
  const values: Record<string, string> = { wid };
  const segments = route.path.split('/');
  for (let i = 0; i < segments.length; i++) {
    const param = /^\{(\w+)\}$/.exec(segments[i])?.[1];
    if (!param || param === 'wid') continue;
    if (known[param]) {
      values[param] = known[param];
      continue;
    }
    const collection = fillPath(segments.slice(0, i).join('/'), values);
    if (!cache.has(collection)) cache.set(collection, await firstId(t, collection, ownerCreds));
    values[param] = cache.get(collection)!;
  }
  return values;
}

async function firstId(t: TestApp, collection: string, creds: Creds): Promise<string> {
  const res = await t.http().get(collection).set(creds);
  const first = res.status === 200 && Array.isArray(res.body?.data) ? res.body.data.find((r: { id?: unknown }) => typeof r?.id === 'string') : undefined;
  return first?.id ?? uuidv7();
}
