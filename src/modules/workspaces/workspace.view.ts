import { Workspace } from './entities/workspace.entity';

export const toWorkspaceView = (w: Workspace) => ({
  id: w.id,
  name: w.name,
  businessName: w.businessName ?? null,
  contactEmail: w.contactEmail ?? null,
  contactPhone: w.contactPhone ?? null,
  billingCustomerRef: w.billingCustomerRef ?? null,
  status: w.status,
  deletionDueAt: w.deletionDueAt ?? null,
  settings: w.settings,
  createdAt: w.createdAt,
});

export type WorkspaceView = ReturnType<typeof toWorkspaceView>;

/** One entry of `GET /v1/workspaces`: where the caller works and as what. */
export interface MyWorkspaceView {
  id: string;
  name: string;
  status: string;
  role: string;
  roleId: string;
}
