import { createBullBoard } from '@bull-board/api';
import { BullAdapter } from '@bull-board/api/bullAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { sendProblem, UnauthorizedError } from '../../common/errors';
import { AppConfig } from '../../config';
import { QueueRegistry } from './queue-registry';

export const QUEUE_BOARD_PATH = '/admin/queues';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The presented admin token: `Authorization: Bearer <ADMIN_TOKEN>`, or Basic with it as the password (for browsers). */
function presentedToken(authorization: string | undefined): string | undefined {
  const [scheme, value] = authorization?.split(' ') ?? [];
  if (/^bearer$/i.test(scheme ?? '')) return value;
  if (/^basic$/i.test(scheme ?? '') && value) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

/**
 * Bull Board (jobs, retries, failures of every queue) at /admin/queues for operators, behind
 * ADMIN_TOKEN; without it the board is not mounted at all (404).
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  private readonly logger = new Logger(QueueBoard.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly queues: QueueRegistry,
    private readonly config: AppConfig,
  ) {}

  onModuleInit() {
    const token = this.config.env.ADMIN_TOKEN;
    if (!token) return;
    const expected = digest(token);
    const serverAdapter = new FastifyAdapter().setBasePath(QUEUE_BOARD_PATH);
    // @bull-board/fastify 9.10.1 types against its own nested @bull-board/api; the runtime contract is the same.
    createBullBoard({ queues: this.queues.all().map((q) => new BullAdapter(q)), serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'] });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const authorize = async (req: FastifyRequest, reply: FastifyReply) => {
      const given = presentedToken(req.headers.authorization);
      if (given !== undefined && timingSafeEqual(digest(given), expected)) return;
      reply.header('WWW-Authenticate', 'Basic realm="Nanozons queues", charset="UTF-8"');
      return sendProblem(new UnauthorizedError('The admin token is required.'), req, reply, this.logger);
    };
    void fastify.register(
      async (scope) => {
        scope.addHook('onRequest', authorize);
        await scope.register(serverAdapter.registerPlugin());
      },
      { prefix: QUEUE_BOARD_PATH },
    );
  }
}
