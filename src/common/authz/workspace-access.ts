import type { PermissionRule } from './permissions';
import type { Principal } from './request-ctx';

export interface WorkspaceAccess {
  workspaceId: string;
  status: 'active' | 'closing';
  roleName: string;
  permissions: PermissionRule[];
}

/**
 * Implemented by the workspaces module: resolves a principal's current role in a workspace,
 * read on every request so role changes and removals apply at once. Null → 404.
 */
export interface WorkspaceAccessResolver {
  resolve(principal: Principal, workspaceId: string): Promise<WorkspaceAccess | null>;
}

export const WORKSPACE_ACCESS = Symbol('WORKSPACE_ACCESS');
