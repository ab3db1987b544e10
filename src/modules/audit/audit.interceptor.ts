import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { from, Observable, switchMap } from 'rxjs';
import { PERMISSION_KEY } from '../../common/authz/decorators';
import { AUDIT_KEY, AuditSpec } from './audit.decorator';
import { AuditService } from './audit.service';

const PAST: Record<string, string> = { create: 'created', update: 'updated', delete: 'deleted', send: 'sent', approve: 'approved', export: 'exported', erase: 'erased', manage: 'changed' };

/**
 * Every successful mutating call inside a workspace leaves an audit entry: the action named by
 * @Audited, or one derived from the route's permission (`update Channel` → `channel.updated`).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest<{ Params: Record<string, string> }>>();
    if (req.method === 'GET' || req.method === 'HEAD' || !req.ctx) return next.handle();
    const spec = this.spec(context);
    if (!spec) return next.handle();
    const ctx = req.ctx;
    return next.handle().pipe(
      switchMap((result) => {
        const idFromParam = spec.idParam ? req.params[spec.idParam] : undefined;
        const idFromResult = (result as { id?: unknown } | undefined)?.id;
        const subjectId = idFromParam ?? (typeof idFromResult === 'string' ? idFromResult : Object.values(req.params).at(-1));
        return from(this.audit.recordFor(ctx, spec.action, spec.subjectType, subjectId, req.body ?? undefined).then(() => result));
      }),
    );
  }

  private spec(context: ExecutionContext): AuditSpec | undefined {
    const targets = [context.getHandler(), context.getClass()];
    const explicit = this.reflector.getAllAndOverride<AuditSpec | false>(AUDIT_KEY, targets);
    if (explicit === false) return undefined;
    if (explicit) return explicit;
    const perm = this.reflector.getAllAndOverride<{ action: string; subject: string }>(PERMISSION_KEY, targets);
    if (!perm) return undefined;
    const noun = perm.subject.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    return { action: `${noun}.${PAST[perm.action] ?? perm.action}`, subjectType: perm.subject };
  }
}
