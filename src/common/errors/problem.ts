import { HttpException } from '@nestjs/common';
import { DomainError } from './domain-error';
import { codeForStatus, ErrorCode, TITLES } from './error-codes';
import { isDatabaseBadInput, isDatabaseUnavailable } from '../../infrastructure/database/pg-errors';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode | string;
  instance?: string;
  requestId?: string;
  [extra: string]: unknown;
}

const FASTIFY_CODES: Record<string, { status: number; code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', detail: 'The request body exceeds 10 MiB.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    detail: 'The request body must be application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'validation_failed', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'validation_failed', detail: 'Invalid Content-Length.' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'validation_failed', detail: 'A path parameter is longer than 100 characters.' },
  FST_ERR_BAD_URL: { status: 400, code: 'validation_failed', detail: 'The path is not validly percent-encoded.' },
};

const toTitle = (code: string) => code.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

function build(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): ProblemBody {
  return {
    type: `https://docs.nanozons.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[code as ErrorCode] ?? toTitle(code),
    status,
    detail,
    code,
    ...extra,
  };
}

/** Maps any thrown value to a problem+json body; unknown errors become a generic 500. */
export function toProblem(err: unknown): ProblemBody {
  if (err instanceof DomainError) return build(err.status, err.code, err.detail, err.extra);
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const res = err.getResponse();
    const message = typeof res === 'string' ? res : (res as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : String(message ?? err.message);
    return build(status, codeForStatus(status), detail);
  }
  const e = err as { code?: string; statusCode?: number; message?: string } | undefined;
  if (e?.code && FASTIFY_CODES[e.code]) {
    const f = FASTIFY_CODES[e.code];
    return build(f.status, f.code, f.detail);
  }
  if (err instanceof SyntaxError || (e?.statusCode === 400 && /JSON/i.test(e.message ?? ''))) {
    return build(400, 'validation_failed', 'The request body is not valid JSON.', {
      errors: [{ field: 'body', message: 'malformed JSON' }],
    });
  }
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return build(e.statusCode, codeForStatus(e.statusCode), e.message ?? 'Bad request.');
  }
  // Not a bug but an outage the client can wait out: 503 tells it (and any provider) to retry.
  if (isDatabaseUnavailable(err)) return build(503, 'service_unavailable', 'The database is unavailable; retry shortly.');
  // Values the database cannot hold fail the same way on every retry: the client must change them.
  if (isDatabaseBadInput(err)) {
    return build(400, 'validation_failed', 'A value in the request cannot be stored (invalid characters or out of range).', {
      errors: [{ field: 'request', message: 'invalid value' }],
    });
  }
  return build(500, 'internal_error', 'An unexpected error occurred; it has been logged.');
}
