import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ALLOWED_WHILE_CLOSING } from '../../common/authz';
import { codeForStatus, ERROR_STATUS, ErrorCode, problemCodes, problemContent } from '../../common/errors';
import { isLimited } from '../../common/rate-limit/rate-limit-report';
import { appEnv } from '../../config';

export const BEARER = 'bearer';
export const API_KEY = 'api-key';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable snake_case error code' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
} as const;

interface Operation {
  path: string;
  method: string;
  op: OperationObject;
}

const hasBody = ({ op }: Operation) => !!op.requestBody;
const hasQuery = ({ op }: Operation) => (op.parameters ?? []).some((p) => (p as ParameterObject).in === 'query');
const isPost = ({ method }: Operation) => method === 'post';

/**
 * The answers every route can give whatever its handler does, from the layers in front of it:
 * validation pipe, body parser, idempotency interceptor, workspace guard and rate limiter.
 * Declared here once instead of on every handler, so a new route is documented without boilerplate.
 */
const CROSS_CUTTING: { code: ErrorCode; description: string; applies: (o: Operation) => boolean }[] = [
  {
    code: 'validation_failed',
    description: 'the body, query or `Idempotency-Key` is invalid; `errors` names each field',
    applies: (o) => hasBody(o) || hasQuery(o) || isPost(o),
  },
  { code: 'payload_too_large', description: 'the body is over 10 MiB', applies: hasBody },
  { code: 'unsupported_media_type', description: 'the body is not JSON', applies: hasBody },
  {
    code: 'workspace_closed',
    description: 'the workspace is closing; only reading and restoring it still work',
    applies: ({ path, op }) => path.startsWith('/v1/workspaces/{wid}') && !(ALLOWED_WHILE_CLOSING in op),
  },
  { code: 'conflict', description: 'a request with this `Idempotency-Key` is still being processed; retry shortly', applies: isPost },
  { code: 'idempotency_key_reused', description: 'this `Idempotency-Key` was used with a different body', applies: isPost },
  {
    code: 'rate_limited',
    description: 'over the rate limit of the caller or the workspace; retry after `Retry-After` seconds',
    applies: ({ path }) => isLimited(path),
  },
];

const IDEMPOTENCY_KEY: ParameterObject = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 255 },
  description: 'Same key and body within 24 h replay the first answer; a different body answers 422 `idempotency_key_reused`.',
};

/** A handler's own error response as problem+json naming its code (plain `Api*Response` ones get the status's code). */
function asProblem(status: number, response: ResponseObject): ResponseObject {
  if (problemCodes(response.content).length) return response;
  const code = codeForStatus(status);
  return { ...response, description: `\`${code}\`: ${response.description}`, content: problemContent([code]) };
}

function addProblem(responses: Record<string, ResponseObject>, code: ErrorCode, description: string) {
  const status = String(ERROR_STATUS[code]);
  const existing = responses[status];
  const codes = existing ? problemCodes(existing.content) : [];
  if (codes.includes(code)) return;
  responses[status] = {
    ...existing,
    description: [existing?.description, `\`${code}\`: ${description}`].filter(Boolean).join('\n\n'),
    content: problemContent([...codes, code]),
    ...(code === 'rate_limited' ? { headers: { 'Retry-After': { description: 'Seconds until the limit resets', schema: { type: 'integer' } } } } : {}),
  };
}

/** Gives every /v1 operation its complete error responses, each referencing the shared Problem schema. */
export function documentProblems(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/v1/')) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const responses = op.responses as Record<string, ResponseObject>;
      for (const [status, response] of Object.entries(responses)) if (Number(status) >= 400) responses[status] = asProblem(Number(status), response);
      for (const p of CROSS_CUTTING) if (p.applies({ path, method, op })) addProblem(responses, p.code, p.description);
      if (method === 'post') op.parameters = [...(op.parameters ?? []), IDEMPOTENCY_KEY];
    }
  }
  return document;
}

/** One tag per module; a tag a controller uses but this list lacks is still declared (without prose). */
const TAGS: Record<string, string> = {
  auth: 'Accounts, sign-in and token rotation',
  workspaces: 'A workspace: settings, closing and restoring',
  members: 'People in a workspace and their invitations',
  roles: 'Custom roles and their permissions',
  'api-keys': 'Workspace API keys (X-API-Key)',
  channels: 'Email, WhatsApp and Telegram channels, their templates and webhook ledger',
  'provider webhooks': 'Inbound calls from Postmark, Meta and Telegram, each signed with the channel’s own secret',
  contacts: 'Contacts, their identifiers, merges and consents',
  conversations: 'One conversation per customer across channels; notes and status',
  messages: 'Sending, reading and retrying messages; attachments',
  search: 'Full-text search over messages and contacts',
  ai: 'AI summaries and draft replies that a person must approve',
  privacy: 'Access, erasure and restriction requests; whole-workspace exports',
  usage: 'Daily usage figures and client usage events',
  webhooks: 'Signed outbound webhook subscriptions and their delivery log',
  events: 'Live domain events over Server-Sent Events',
  audit: 'The workspace audit log',
  operations: 'Health checks and Prometheus metrics',
  sandbox: 'Development only (SANDBOX=true): play the customer and the provider without accounts, inspect what the provider fakes received',
};

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
const upperFirst = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** `ConversationsController.list` → `conversationsList`: stable while handler names are. */
export const operationId = (controllerKey: string, methodKey: string) => lowerFirst(controllerKey.replace(/Controller$/, '')) + upperFirst(methodKey);

/** Path parameters that are not record ids (everything else is a UUIDv7). */
const NON_UUID_PARAMS: Record<string, string> = { token: 'The invitation token from the invitation email' };

const RATE_LIMIT_HEADERS = {
  'RateLimit-Limit': { description: 'Requests allowed in the current window (the tightest bucket counted)', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the current window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};
const RATE_LIMIT_HEADER_REFS = Object.fromEntries(Object.keys(RATE_LIMIT_HEADERS).map((h) => [h, { $ref: `#/components/headers/${h}` }]));

/** Declares every `{param}` of the path template, with `format: uuid` for ids (`{wid}` included). */
function documentPathParams(path: string, op: OperationObject) {
  const declared = (op.parameters ?? []) as ParameterObject[];
  const others = declared.filter((p) => p.in !== 'path');
  const params = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]): ParameterObject => {
    const given = declared.find((p) => p.in === 'path' && p.name === name);
    const nonUuid = NON_UUID_PARAMS[name];
    return {
      ...given,
      name,
      in: 'path',
      required: true,
      description: given?.description ?? nonUuid ?? (name === 'wid' ? 'Workspace id' : `${upperFirst(name.replace(/Id$/, ''))} id`),
      schema: nonUuid ? { type: 'string' } : { type: 'string', format: 'uuid' },
    };
  });
  op.parameters = [...params, ...others];
}

/**
 * Guarded routes carry their schemes from the authz decorators (bearer or API key; bearer only for
 * `/me`); every other route is public (auth, invitations, provider webhooks, health) and says so.
 */
function documentSecurity(op: OperationObject) {
  if (!op.security?.length) op.security = [];
}

/** RateLimit-* on every answer of a limited route (API.md: every answer carries them). */
function documentRateLimitHeaders(path: string, op: OperationObject) {
  if (!isLimited(path)) return;
  for (const response of Object.values(op.responses as Record<string, ResponseObject>)) response.headers = { ...RATE_LIMIT_HEADER_REFS, ...response.headers };
}

function documentTags(document: OpenAPIObject) {
  const used = new Set(Object.values(document.paths).flatMap((item) => METHODS.flatMap((m) => item[m]?.tags ?? [])));
  document.tags = [...new Set([...Object.keys(TAGS).filter((t) => used.has(t)), ...used])].map((name) => (TAGS[name] ? { name, description: TAGS[name] } : { name }));
}

/** Fills what decorators cannot say once for all routes: parameters, security, headers, tags. */
export function documentOperations(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      documentPathParams(path, op);
      documentSecurity(op);
      documentRateLimitHeaders(path, op);
    }
  }
  documentTags(document);
  document.components ??= {};
  document.components.headers = { ...document.components.headers, ...RATE_LIMIT_HEADERS } as never;
  return document;
}

/** The OpenAPI document of every controller `app` mounts (the CLI and /docs-json share it). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Nanozons API')
    .setDescription(
      'Omnichannel conversations over Postmark email, WhatsApp Cloud API and Telegram. Errors are application/problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addServer(appEnv().PUBLIC_URL, 'This deployment (PUBLIC_URL)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY)
    .addApiKey({ type: 'apiKey', in: 'query', name: 'token', description: 'GET …/events/stream only: a token from POST …/events/stream-tokens' }, 'stream-token')
    .build();
  const document = documentOperations(documentProblems(SwaggerModule.createDocument(app, config, { operationIdFactory: operationId })));
  document.components!.schemas = { ...document.components!.schemas, Problem: problemSchema as never };
  return document;
}

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function setupSwagger(app: NestFastifyApplication) {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return document;
}
