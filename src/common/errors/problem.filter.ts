import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from './problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger) {
  const problem = toProblem(err);
  if (problem.status >= 500 && problem.status !== 503) logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  problem.instance = req.url.split('?')[0];
  problem.requestId = String(req.id);
  if (problem.code === 'rate_limited' && problem.retryAfter !== undefined) {
    reply.header('Retry-After', String(problem.retryAfter));
  }
  return reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** The one place errors become HTTP answers: everything is problem+json with a stable code. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(err: unknown, host: ArgumentsHost) {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    sendProblem(err, http.getRequest<FastifyRequest>(), reply, this.logger);
  }
}
