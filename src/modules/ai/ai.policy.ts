import type { AiArtifact, ArtifactStatus } from './entities/ai-artifact.entity';
import { notInState } from './ai.errors';

/**
 * What a person may do with an artifact in each state: only a `ready` draft can be edited or
 * approved; a draft can be discarded until it is approved. Summaries are read-only. The services
 * repeat these conditions in their conditional UPDATEs, so a concurrent change loses with 409.
 */
export const EDITABLE: readonly ArtifactStatus[] = ['ready'];
export const APPROVABLE: readonly ArtifactStatus[] = ['ready'];
export const DISCARDABLE: readonly ArtifactStatus[] = ['pending', 'ready'];

export function assertDraftIn(artifact: AiArtifact, allowed: readonly ArtifactStatus[], doing: string): void {
  if (artifact.kind !== 'draft') throw notInState(`Only drafts can be ${doing}; this artifact is a ${artifact.kind}.`);
  if (!allowed.includes(artifact.status)) throw notInState(`Only a ${allowed.join(' or ')} draft can be ${doing}; this one is ${artifact.status}.`);
}

/** A draft counts as edited when the text approved differs from the model's. */
export const wasEdited = (artifact: AiArtifact): boolean => artifact.history.length > 0 && artifact.history[0].content !== artifact.content;
