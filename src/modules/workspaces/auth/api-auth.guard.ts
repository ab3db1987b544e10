import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_KEY, STREAM_TOKEN_STRATEGY } from '../../../common/authz';
import { UnauthorizedError } from '../../../common/errors';
import { FailedAuthLimit } from '../../../common/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every route needs a valid JWT or API key unless marked @Public() (or, on the event stream only, a
 * stream token); failed credentials count against the IP.
 */
@Injectable()
export class ApiAuthGuard extends AuthGuard(['jwt', 'api-key', STREAM_TOKEN_STRATEGY]) {
  constructor(
    private readonly reflector: Reflector,
    private readonly failedAuth: FailedAuthLimit,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    try {
      return (await super.canActivate(context)) as boolean;
    } catch (e) {
      const http = context.switchToHttp();
      await this.failedAuth.charge(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
      throw e;
    }
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthorizedError('A valid bearer token or X-API-Key is required.');
    return user;
  }
}
