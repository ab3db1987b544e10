import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { PermissionRule, Principal, WorkspaceAccess, WorkspaceAccessResolver } from '../../common/authz';
import { permissionsOf } from './roles.service';

interface AccessRow {
  status: WorkspaceAccess['status'];
  name: string;
  built_in: boolean;
  permissions: PermissionRule[];
}

/**
 * Reads the caller's current role on every request, so role changes and removals apply at once.
 * One statement per request (membership, workspace and role joined): this runs on every call.
 */
@Injectable()
export class WorkspaceAccessService implements WorkspaceAccessResolver {
  constructor(private readonly em: EntityManager) {}

  async resolve(principal: Principal, workspaceId: string): Promise<WorkspaceAccess | null> {
    const row = principal.type === 'api_key' ? await this.ofApiKey(principal, workspaceId) : principal.userId ? await this.ofMember(principal.userId, workspaceId) : undefined;
    if (!row) return null;
    return { workspaceId, status: row.status, roleName: row.name, permissions: permissionsOf({ builtIn: row.built_in, name: row.name, permissions: row.permissions }) };
  }

  private async ofMember(userId: string, workspaceId: string): Promise<AccessRow | undefined> {
    const [row] = await this.em.execute<AccessRow[]>(
      `select w.status, r.name, r.built_in, r.permissions from memberships m
       join workspaces w on w.id = m.workspace_id
       join roles r on r.workspace_id = m.workspace_id and r.id = m.role_id
       where m.workspace_id = ? and m.user_id = ? and m.status = 'active'`,
      [workspaceId, userId],
    );
    return row;
  }

  /** A key belongs to one workspace; its role is read again so a role edit applies at once. */
  private async ofApiKey(key: Principal, workspaceId: string): Promise<AccessRow | undefined> {
    if (key.workspaceId !== workspaceId || !key.roleId) return undefined;
    const [row] = await this.em.execute<AccessRow[]>(
      `select w.status, r.name, r.built_in, r.permissions from workspaces w join roles r on r.workspace_id = w.id and r.id = ? where w.id = ?`,
      [key.roleId, workspaceId],
    );
    return row;
  }
}
