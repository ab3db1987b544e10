import { Injectable } from '@nestjs/common';
import { IdentityService } from '../identity';
import { WorkspacesService } from '../workspaces';
import { aiDisabled, processingRestricted } from './ai.errors';

/**
 * The two conditions under which no conversation content may go to a provider and no AI text may
 * go out: AI turned off for the workspace, or the contact's processing restricted. Checked when a
 * person asks, again when the job runs, and again on approve.
 */
@Injectable()
export class AiGate {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly identity: IdentityService,
  ) {}

  /** Throws `ai_disabled` or `processing_restricted`; otherwise says whether identifiers must be masked. */
  async assertAllowed(workspaceId: string, contactId: string): Promise<{ maskIdentifiers: boolean }> {
    const settings = await this.workspaces.settings(workspaceId);
    if (!settings?.aiEnabled) throw aiDisabled();
    const contact = await this.identity.getContact(workspaceId, contactId);
    if (contact?.processingRestricted) throw processingRestricted();
    return { maskIdentifiers: settings.aiMaskIdentifiers !== false };
  }
}
