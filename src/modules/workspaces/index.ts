export { WorkspacesModule } from './workspaces.module';
export { WorkspacesService } from './workspaces.service';
export { WorkspacesRetentionService } from './workspaces-retention.service';
export { WORKSPACE_CLOSED_EVENT } from './workspaces.events';
export type { WorkspaceClosedEvent } from './workspaces.events';
export type { WorkspaceSettings } from './entities/workspace.entity';
