import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Principal, WorkspaceAccess, WorkspaceAccessResolver } from '../../common/authz';
import { NO_TENANT_FILTER } from '../../infrastructure/database';
import { Membership } from './entities/membership.entity';
import { Role } from './entities/role.entity';
import { Workspace } from './entities/workspace.entity';
import { permissionsOf } from './roles.service';

/** Reads the caller's current role on every request, so role changes and removals apply at once. */
@Injectable()
export class WorkspaceAccessService implements WorkspaceAccessResolver {
  constructor(private readonly em: EntityManager) {}

  async resolve(principal: Principal, workspaceId: string): Promise<WorkspaceAccess | null> {
    const roleId = await this.roleIdOf(principal, workspaceId);
    if (!roleId) return null;
    const [workspace, role] = await Promise.all([
      this.em.findOne(Workspace, { id: workspaceId }),
      this.em.findOne(Role, { id: roleId, workspaceId }, NO_TENANT_FILTER),
    ]);
    if (!workspace || !role) return null;
    return { workspaceId, status: workspace.status, roleName: role.name, permissions: permissionsOf(role) };
  }

  private async roleIdOf(principal: Principal, workspaceId: string): Promise<string | undefined> {
    if (principal.type === 'api_key') return principal.workspaceId === workspaceId ? principal.roleId : undefined;
    const membership = await this.em.findOne(Membership, { workspaceId, userId: principal.userId, status: 'active' }, NO_TENANT_FILTER);
    return membership?.roleId;
  }
}
