import type { FastifyRequest } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

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
    try {
      done(null, JSON.parse(text, rejectProtoKeys));
    } catch (e) {
      const err = new SyntaxError(`Malformed JSON: ${(e as Error).message}`) as SyntaxError & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
}

function rejectProtoKeys(key: string, value: unknown) {
  if (key === '__proto__' || key === 'constructor') return undefined;
  return value;
}
