import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { RequestCtx, systemCtx } from '../../common/authz';
import { DomainError } from '../../common/errors';
import { DomainEventsSubscriber } from '../../common/events';
import { JobPayloads } from '../../common/queues';
import { UsageMeter } from '../../common/usage';
import { AppConfig } from '../../config';
import { TENANT_FILTER } from '../../infrastructure/database';
import { ConversationsService, MessagesService } from '../messaging';
import { AiGate } from './ai-gate.service';
import { AiArtifact, ArtifactRevision } from './entities/ai-artifact.entity';
import { customerLanguage } from './prompt/customer-language';
import { AiTask, PromptMessage, selectWithinBudget } from './prompt/prompt-builder';
import { AI_PROVIDER, AiProvider, AiProviderError, AiResult } from './providers/ai-provider';

/** Messages read for one prompt at most; the token budget usually stops earlier. */
const MAX_PROMPT_MESSAGES = 200;

export type GenerationOutcome = 'ready' | 'failed' | 'skipped';

/**
 * Worker side: turns a `pending` artifact into `ready` or `failed`. The gate is checked again here
 * (AI may have been switched off, or the contact restricted, since the request), before anything
 * is read for the prompt. Only a still `pending` row is filled, so a discard meanwhile wins.
 */
@Injectable()
export class AiGenerationService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversations: ConversationsService,
    private readonly messages: MessagesService,
    private readonly gate: AiGate,
    private readonly usage: UsageMeter,
    private readonly events: DomainEventsSubscriber,
    private readonly config: AppConfig,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
  ) {}

  generate(job: JobPayloads['ai.generate']): Promise<GenerationOutcome> {
    return RequestContext.create(this.em, async () => {
      this.em.setFilterParams(TENANT_FILTER, { workspaceId: job.workspaceId });
      const artifact = await this.em.findOne(AiArtifact, { id: job.artifactId, workspaceId: job.workspaceId });
      if (artifact?.status !== 'pending') return 'skipped';
      const ctx = systemCtx(job.workspaceId, { type: 'system', id: 'ai_worker' });
      try {
        return await this.fill(ctx, artifact);
      } catch (e) {
        if (e instanceof AiProviderError) return this.fail(artifact, e.reason);
        if (e instanceof DomainError) return this.fail(artifact, `${e.code}: ${e.detail}`);
        throw e;
      }
    });
  }

  private async fill(ctx: RequestCtx, artifact: AiArtifact): Promise<GenerationOutcome> {
    const conversation = await this.conversations.load(ctx, artifact.conversationId, 'read');
    const { maskIdentifiers } = await this.gate.assertAllowed(ctx.workspaceId, conversation.contactId);
    const task = await this.task(ctx, artifact, maskIdentifiers);
    this.usage.record(ctx.workspaceId, 'ai_requests', 1, artifact.kind);
    const started = Date.now();
    let result: AiResult;
    let latencyMs: number;
    try {
      result = await this.provider.generate(task);
    } finally {
      // Failed calls took provider time too.
      latencyMs = Date.now() - started;
      this.usage.record(ctx.workspaceId, 'ai_latency_ms', latencyMs, artifact.kind);
    }
    if (result.tokensIn !== null) this.usage.record(ctx.workspaceId, 'ai_tokens_in', result.tokensIn, artifact.kind);
    if (result.tokensOut !== null) this.usage.record(ctx.workspaceId, 'ai_tokens_out', result.tokensOut, artifact.kind);
    const first: ArtifactRevision = { content: result.content, at: new Date().toISOString(), by: null };
    return this.em.transactional(async (tx) => {
      const rows = await tx.execute<{ id: string }[]>(
        `update ai_artifacts set status = 'ready', content = ?, history = ?::jsonb, sources = ?::jsonb, language = ?,
                tokens_in = ?, tokens_out = ?, latency_ms = ?, updated_at = now()
         where workspace_id = ? and id = ? and status = 'pending' returning id`,
        [result.content, JSON.stringify([first]), JSON.stringify(result.sources), task.language.code, result.tokensIn, result.tokensOut, latencyMs, ctx.workspaceId, artifact.id],
      );
      if (!rows.length) return 'skipped';
      this.events.emitAfterCommit(tx, 'ai.artifact.ready', { workspaceId: ctx.workspaceId, artifactId: artifact.id, conversationId: artifact.conversationId, kind: artifact.kind });
      return 'ready';
    });
  }

  /** The conversation's latest messages that fit the budget, oldest first; never its internal notes. */
  private async task(ctx: RequestCtx, artifact: AiArtifact, maskIdentifiers: boolean): Promise<AiTask> {
    const latest = await this.messages.latestExchanged(ctx, artifact.conversationId, MAX_PROMPT_MESSAGES);
    const withText: PromptMessage[] = latest
      .map((m) => ({ id: m.id, direction: m.direction as PromptMessage['direction'], text: (m.text ?? m.email?.textBody ?? '').trim(), at: new Date(m.createdAt).toISOString() }))
      .filter((m) => m.text);
    const messages = selectWithinBudget(withText, this.config.env.AI_PROMPT_TOKEN_BUDGET);
    return { kind: artifact.kind, messages, language: customerLanguage(messages), instructions: artifact.instructions, maskIdentifiers };
  }

  private async fail(artifact: AiArtifact, reason: string): Promise<GenerationOutcome> {
    const rows = await this.em.execute<{ id: string }[]>(
      `update ai_artifacts set status = 'failed', reason = ?, updated_at = now() where workspace_id = ? and id = ? and status = 'pending' returning id`,
      [reason.slice(0, 500), artifact.workspaceId, artifact.id],
    );
    if (!rows.length) return 'skipped';
    this.usage.record(artifact.workspaceId, 'ai_failures', 1, artifact.kind);
    return 'failed';
  }
}
