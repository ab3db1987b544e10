import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ParameterObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ALLOWED_WHILE_CLOSING } from '../../common/authz';
import { codeForStatus, ERROR_STATUS, ErrorCode, problemCodes, problemContent } from '../../common/errors';
import { isLimited } from '../../common/rate-limit/rate-limit-report';

export const BEARER = 'bearer';
export const API_KEY = 'api-key';

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
    for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
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

/** Swagger UI at /docs and the OpenAPI 3 document at /docs-json. */
export function setupSwagger(app: NestFastifyApplication) {
  const config = new DocumentBuilder()
    .setTitle('Nanozons API')
    .setDescription(
      'Omnichannel conversations over Postmark email, WhatsApp Cloud API and Telegram. Errors are application/problem+json with a stable `code`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, API_KEY)
    .addApiKey({ type: 'apiKey', in: 'query', name: 'token', description: 'GET …/events/stream only: a token from POST …/events/stream-tokens' }, 'stream-token')
    .build();
  const document = documentProblems(SwaggerModule.createDocument(app, config));
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, Problem: problemSchema as never };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
  return document;
}
