import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import type { ActorType } from '../../../common/authz';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export const ARTIFACT_KINDS = ['summary', 'draft'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

export const ARTIFACT_STATUSES = ['pending', 'ready', 'failed', 'approved', 'discarded'] as const;
export type ArtifactStatus = (typeof ARTIFACT_STATUSES)[number];

/** One version of a draft's text: the model's (`by` null), then each person's edit. */
export interface ArtifactRevision {
  content: string;
  at: string;
  by: { type: ActorType; id: string } | null;
}

/**
 * A summary or a draft reply of one conversation. Rows are written through conditional updates
 * (`where status = …`), so a job, an edit, an approval and a discard never overwrite each other.
 */
@Entity({ tableName: 'ai_artifacts' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'conversationId', 'id'] })
export class AiArtifact extends TenantEntity<'status' | 'history' | 'sources'> {
  @Property({ type: 'uuid' })
  conversationId!: string;

  @Enum({ items: [...ARTIFACT_KINDS] })
  kind!: ArtifactKind;

  @Enum({ items: [...ARTIFACT_STATUSES] })
  status: ArtifactStatus = 'pending';

  /** The current text: the model's until a person edits a draft. */
  @Property({ type: 'text', nullable: true })
  content?: string | null;

  /** The model's text first, then every edit; the first and the last differ when a draft was edited. */
  @Property({ type: 'jsonb' })
  history: ArtifactRevision[] = [];

  /** The ids of the messages the text was built from. */
  @Property({ type: 'jsonb' })
  sources: string[] = [];

  /** The agent's wish for a draft. */
  @Property({ type: 'text', nullable: true })
  instructions?: string | null;

  /** The customer's language as detected (ISO 639-1). */
  @Property({ type: 'text', nullable: true })
  language?: string | null;

  /** Why it failed. */
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'text' })
  provider!: string;

  @Property({ type: 'text' })
  model!: string;

  @Property({ type: 'text' })
  requestedByType!: ActorType;

  @Property({ type: 'text' })
  requestedById!: string;

  @Property({ type: 'text', nullable: true })
  approvedByType?: ActorType | null;

  @Property({ type: 'text', nullable: true })
  approvedById?: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  approvedAt?: Date | null;

  /** The message an approval sent. */
  @Property({ type: 'uuid', nullable: true })
  messageId?: string | null;

  @Property({ type: 'integer', nullable: true })
  tokensIn?: number | null;

  @Property({ type: 'integer', nullable: true })
  tokensOut?: number | null;

  /** How long the provider took (all attempts). */
  @Property({ type: 'integer', nullable: true })
  latencyMs?: number | null;
}
