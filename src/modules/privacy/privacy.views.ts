import type { PrivacyRequestView } from './dto/privacy-request.dto';
import type { WorkspaceExportView } from './dto/workspace-export.dto';
import type { PrivacyRequest } from './entities/privacy-request.entity';
import type { WorkspaceExport } from './entities/workspace-export.entity';

export const toPrivacyRequestView = (r: PrivacyRequest): PrivacyRequestView => ({
  id: r.id,
  type: r.type,
  contactId: r.contactId,
  scope: r.channelType ? { channelType: r.channelType } : null,
  status: r.status,
  error: r.error ?? null,
  createdAt: r.createdAt,
  completedAt: r.completedAt ?? null,
  expiresAt: r.expiresAt ?? null,
});

export const toExportView = (e: WorkspaceExport): WorkspaceExportView => ({
  id: e.id,
  status: e.status,
  size: e.size == null ? null : Number(e.size),
  error: e.error ?? null,
  createdAt: e.createdAt,
  completedAt: e.completedAt ?? null,
  expiresAt: e.expiresAt ?? null,
});

/** Access documents and exports stay downloadable this long after completion. */
export const DOWNLOAD_TTL_MS = 7 * 24 * 3600 * 1000;

/** Storage keys start with the workspace id, so closing a workspace removes them with its folder. */
export const accessDocumentKey = (workspaceId: string, requestId: string) => `${workspaceId}/privacy/${requestId}.json`;
export const exportKey = (workspaceId: string, exportId: string) => `${workspaceId}/exports/${exportId}.tar.gz`;
