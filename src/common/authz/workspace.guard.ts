import { EntityManager } from '@mikro-orm/core';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ForbiddenError, NotFoundError } from '../errors';
import { isUuid } from '../ids';
import { TENANT_FILTER } from '../../infrastructure/database/tenant-entity';
import { buildAbility } from './ability.factory';
import { ALLOW_CLOSED_KEY, PERMISSION_KEY, PUBLIC_KEY } from './decorators';
import { Action, Subject } from './permissions';
import { WORKSPACE_ACCESS, WorkspaceAccessResolver } from './workspace-access';


/**
 * Tenancy and permissions for every route under /v1/workspaces/{wid}: resolves the caller's
 * current role (404 for non-members, so other tenants' ids are never confirmed), scopes the
 * request's entity manager to the workspace, and checks the route's declared permission (403).
 */
@Injectable()
export class WorkspaceGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly em: EntityManager,
    @Inject(WORKSPACE_ACCESS) private readonly access: WorkspaceAccessResolver,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest<{ Params: Record<string, string> }>>();
    const permission = this.reflector.getAllAndOverride<{ action: Action; subject: Subject }>(PERMISSION_KEY, targets);
    const wid = req.params?.wid;
    if (wid === undefined) return true;
    if (!req.user || !isUuid(wid)) throw new NotFoundError('Workspace');

    const access = await this.access.resolve(req.user, wid);
    if (!access) throw new NotFoundError('Workspace');
    if (access.status === 'closing' && !this.reflector.getAllAndOverride<boolean>(ALLOW_CLOSED_KEY, targets)) {
      throw new DomainError('workspace_closed', 'This workspace is closing; restore it to make changes.');
    }
    const ability = buildAbility(access.permissions);
    req.ctx = {
      actor: { type: req.user.type, id: req.user.id },
      userId: req.user.userId,
      workspaceId: wid,
      roleName: access.roleName,
      ability,
      requestId: String(req.id),
      ip: req.ip,
    };
    this.em.setFilterParams(TENANT_FILTER, { workspaceId: wid });
    // Other path ids must be well-formed; a malformed one is as absent as another tenant's.
    for (const [name, value] of Object.entries(req.params)) {
      if (name.endsWith('Id') && !isUuid(value)) throw new NotFoundError();
    }
    if (permission && !ability.can(permission.action, permission.subject)) {
      throw new ForbiddenError(`Your role (${access.roleName}) does not allow ${permission.action} on ${permission.subject}.`);
    }
    return true;
  }
}
