import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { UsageBuffer } from './usage-buffer.service';

/** Counts each authenticated call inside a workspace (after the guards let it in): a map increment, no I/O. */
@Injectable()
export class ApiCallsInterceptor implements NestInterceptor {
  constructor(private readonly buffer: UsageBuffer) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ctx = context.switchToHttp().getRequest<FastifyRequest>().ctx;
    if (ctx && ctx.actor.type !== 'system') this.buffer.apiCall(ctx.workspaceId, ctx.actor.type === 'user' ? ctx.userId : undefined);
    return next.handle();
  }
}
