import type { FastifyInstance } from 'fastify';
import { RequestContext } from '../../common/request-context';
import { httpDuration } from '../metrics/metrics';
import { registerRequestTextHook } from './request-text.hook';

/** Request id in every answer and log line, and latency metrics by route template and status. */
export function registerHttpHooks(fastify: FastifyInstance) {
  fastify.addHook('onRequest', (req, reply, done) => {
    reply.header('X-Request-Id', req.id);
    RequestContext.run({ requestId: String(req.id), ip: req.ip }, done);
  });

  fastify.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    httpDuration.observe({ method: req.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });

  registerRequestTextHook(fastify);
}
