import type { FastifyRequest } from 'fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export const BODY_LIMIT = 10 * 1024 * 1024;
export const WEBHOOK_PREFIX = '/v1/webhooks/';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    /** Set on webhook routes when the body was not valid JSON (stored as `ignored`). */
    jsonError?: string;
  }
}

/**
 * JSON parsing that keeps the raw bytes (signatures are computed over them) and, on provider
 * webhook routes only, tolerates malformed JSON so a verified sender's bad payload is stored
 * and acknowledged instead of being retried forever.
 */
export function registerJsonBodyParser(app: NestFastifyApplication) {
  // JSON only: any other body where JSON is expected answers 415, not a confusing 400.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT }, (req: FastifyRequest, body: string | Buffer, done) => {
    const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
    const isWebhook = req.url.startsWith(WEBHOOK_PREFIX);
    if (text.trim() === '') {
      done(null, isWebhook ? undefined : {});
      return;
    }
    try {
      done(null, JSON.parse(text, rejectProtoKeys));
    } catch (e) {
      if (isWebhook) {
        req.jsonError = (e as Error).message;
        done(null, undefined);
        return;
      }
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
