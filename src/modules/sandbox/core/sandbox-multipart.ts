import type { FastifyInstance, FastifyRequest } from 'fastify';

export const SANDBOX_PREFIX = '/sandbox/';
/** Telegram accepts 50 MB multipart uploads; the sandbox allows the same. */
export const SANDBOX_MULTIPART_LIMIT = 50 * 1024 * 1024;

type HttpError = Error & { statusCode: number; code: string };
const httpError = (statusCode: number, code: string, message: string): HttpError =>
  Object.assign(new Error(message), { statusCode, code });

/**
 * Lets `multipart/form-data` reach the sandbox fakes as a raw Buffer (they parse it with the
 * platform's Response#formData, so no multipart dependency is needed). Other routes keep
 * answering 415 without the body being read. Does nothing if a multipart parser already exists.
 */
export function registerMultipartPassthrough(fastify: FastifyInstance, limit = SANDBOX_MULTIPART_LIMIT): void {
  if (fastify.hasContentTypeParser('multipart/form-data')) return;
  fastify.addContentTypeParser('multipart/form-data', (req: FastifyRequest, payload, done) => {
    if (!req.url.startsWith(SANDBOX_PREFIX)) {
      done(httpError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', 'Unsupported Media Type'), undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    // Same shape as Fastify's own body reader: on overflow, stop listening and answer 413.
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        detach();
        done(httpError(413, 'SANDBOX_BODY_TOO_LARGE', `The multipart body exceeds ${limit} bytes.`), undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (err?: Error) => {
      detach();
      if (err) done(Object.assign(err, { statusCode: 400 }), undefined);
      else done(null, Buffer.concat(chunks));
    };
    const detach = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onEnd);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
  });
}
