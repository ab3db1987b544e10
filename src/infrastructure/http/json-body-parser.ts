import type { FastifyRequest } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ValidationFailedError } from '../../common/errors';
import { exceedsJsonDepth, findUnsafeText, MAX_JSON_DEPTH } from '../../common/input';

export const BODY_LIMIT = 10 * 1024 * 1024;
export const WEBHOOK_PREFIX = '/v1/webhooks/';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
  }
}

/**
 * JSON parsing that keeps the raw bytes (signatures are computed over them); on provider webhook
 * routes the body is not parsed here at all, so a verified sender's malformed payload is stored
 * and acknowledged instead of being retried forever.
 */
export function registerJsonBodyParser(app: NestFastifyApplication) {
  // JSON only: any other body where JSON is expected answers 415, not a confusing 400.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, (req: FastifyRequest, body: string | Buffer, done) => {
    // Provider webhooks keep only their raw bytes (set by Nest's rawBody option): the ingest
    // service verifies the signature over them and parses them itself, malformed or not.
    if (req.url.startsWith(WEBHOOK_PREFIX)) {
      done(null, undefined);
      return;
    }
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    if (exceedsJsonDepth(text)) {
      done(bodyError(`The JSON body nests deeper than ${MAX_JSON_DEPTH} levels.`), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text, rejectProtoKeys);
    } catch (e) {
      const err = new SyntaxError(`Malformed JSON: ${(e as Error).message}`) as SyntaxError & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
      return;
    }
    // Every route takes an object: `null`, a bare string or an array must not pass as `{}`.
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      done(bodyError('The JSON body must be an object.'), undefined);
      return;
    }
    // Rejected here, before any handler writes: PostgreSQL cannot store these characters.
    const unsafe = findUnsafeText(parsed);
    if (unsafe) {
      done(new ValidationFailedError([{ field: unsafe, message: 'contains a NUL character or an unpaired UTF-16 surrogate' }]), undefined);
      return;
    }
    done(null, parsed);
  });
}

const bodyError = (message: string) => new ValidationFailedError([{ field: 'body', message }], message);

function rejectProtoKeys(key: string, value: unknown) {
  if (key === '__proto__' || key === 'constructor') return undefined;
  return value;
}
