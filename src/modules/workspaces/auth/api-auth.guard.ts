import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { PUBLIC_KEY, STREAM_TOKEN_STRATEGY } from '../../../common/authz';
import { UnauthorizedError } from '../../../common/errors';

/** Every route needs a valid JWT or API key unless marked @Public() (or, on the event stream only, a stream token). */
@Injectable()
export class ApiAuthGuard extends AuthGuard(['jwt', 'api-key', STREAM_TOKEN_STRATEGY]) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(err: unknown, user: T): T {
    if (err || !user) throw new UnauthorizedError('A valid bearer token or X-API-Key is required.');
    return user;
  }
}
