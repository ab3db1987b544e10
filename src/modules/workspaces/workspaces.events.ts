/** In-process signal (not a public domain event): channels disconnect when their workspace closes. */
export const WORKSPACE_CLOSED_EVENT = 'workspace.closing';

export interface WorkspaceClosedEvent {
  workspaceId: string;
}
