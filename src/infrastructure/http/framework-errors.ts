import { Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, sendProblem, toProblem } from '../../common/errors';

const logger = new Logger('HttpFramework');

/**
 * Errors Fastify raises before a route exists for the request (a path parameter over 100
 * characters, a malformed %-escape in the path): through the one problem renderer instead of
 * Fastify's own `{error, code: "FST_…"}` body.
 */
export function frameworkErrors(err: Error, req: FastifyRequest, reply: FastifyReply) {
  sendProblem(err, req, reply, logger);
}

/** Node rejects some requests before Fastify sees them (NUL or non-latin1 header bytes, oversize headers, timeouts). */
const CLIENT_ERROR_STATUS: Record<string, number> = { ERR_HTTP_REQUEST_TIMEOUT: 408, HPE_HEADER_OVERFLOW: 431 };

/** Node's `clientError` answer as problem+json (Fastify's default writes its own JSON shape). */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const status = CLIENT_ERROR_STATUS[err.code ?? ''] ?? 400;
  const body = JSON.stringify(toProblem(Object.assign(new Error('The HTTP request is malformed (request line or headers).'), { statusCode: status })));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}
