import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemBody, toProblem } from './problem';
import { describeDatabaseError } from '../../infrastructure/database/pg-errors';
import { drainRequest } from '../../infrastructure/http/drain-request';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Every 5xx is logged, 503s included (monitoring must see outages); database errors by SQLSTATE only. */
function logServerError(err: unknown, problem: ProblemBody, logger: Logger) {
  const outage = problem.status === 503;
  // An outage's stack says nothing new (a dropped socket); a bug's stack is what finds it.
  const what = describeDatabaseError(err) ?? (err instanceof Error ? ((outage ? undefined : err.stack) ?? `${err.name}: ${err.message}`) : String(err));
  const line = `${problem.status} ${problem.code}: ${what}`;
  if (outage) logger.warn(line);
  else logger.error(line);
}

export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply, logger: Logger) {
  const problem = toProblem(err);
  if (problem.status >= 500) logServerError(err, problem, logger);
  problem.instance = req.url.split('?')[0];
  problem.requestId = String(req.id);
  if (problem.code === 'rate_limited' && problem.retryAfter !== undefined) {
    reply.header('Retry-After', String(problem.retryAfter));
  }
  const send = () => reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  // An oversize body is refused before it is read: take the rest off the wire first, or the
  // client (still sending) gets a reset connection instead of the 413.
  if (problem.status === 413) {
    void drainRequest(req.raw).then(send);
    return reply;
  }
  return send();
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
