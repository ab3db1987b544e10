import type { Actor } from '../../common/authz';
import type { AiArtifact, ArtifactKind, ArtifactRevision, ArtifactStatus } from './entities/ai-artifact.entity';

export interface AiArtifactView {
  id: string;
  conversationId: string;
  kind: ArtifactKind;
  status: ArtifactStatus;
  content: string | null;
  sources: string[];
  history: ArtifactRevision[];
  instructions: string | null;
  language: string | null;
  reason?: string;
  provider: string;
  model: string;
  usage: { tokensIn: number | null; tokensOut: number | null; latencyMs: number | null };
  requestedBy: Actor;
  approvedBy?: Actor;
  approvedAt?: Date;
  messageId?: string;
  createdAt: Date;
  updatedAt: Date;
}

export function toArtifactView(a: AiArtifact): AiArtifactView {
  return {
    id: a.id,
    conversationId: a.conversationId,
    kind: a.kind,
    status: a.status,
    content: a.content ?? null,
    sources: a.sources,
    history: a.history,
    instructions: a.instructions ?? null,
    language: a.language ?? null,
    ...(a.reason ? { reason: a.reason } : {}),
    provider: a.provider,
    model: a.model,
    usage: { tokensIn: a.tokensIn ?? null, tokensOut: a.tokensOut ?? null, latencyMs: a.latencyMs ?? null },
    requestedBy: { type: a.requestedByType, id: a.requestedById },
    ...(a.approvedByType && a.approvedById ? { approvedBy: { type: a.approvedByType, id: a.approvedById } } : {}),
    ...(a.approvedAt ? { approvedAt: a.approvedAt } : {}),
    ...(a.messageId ? { messageId: a.messageId } : {}),
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}
