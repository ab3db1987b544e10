import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { assertCan, permittedWhere, RequestCtx } from '../../common/authz';
import type { Action } from '../../common/authz/permissions';
import { DomainEventsSubscriber } from '../../common/events';
import { decodeIdCursor, Page, toPage } from '../../common/pagination';
import { enqueueSafely, JOBS, JobPayloads, QUEUES } from '../../common/queues';
import { UsageMeter } from '../../common/usage';
import { ConversationsService, MessageView, OutboundService } from '../messaging';
import { AiGate } from './ai-gate.service';
import { aiJobOptions } from './ai-jobs';
import { artifactNotFound, notInState } from './ai.errors';
import { APPROVABLE, assertDraftIn, DISCARDABLE, EDITABLE, wasEdited } from './ai.policy';
import { AiArtifactView, toArtifactView } from './ai-artifact.view';
import type { ApproveDraftDto, ArtifactQuery, UpdateArtifactDto } from './dto/ai-request.dto';
import { AiArtifact, ArtifactKind } from './entities/ai-artifact.entity';
import { AI_PROVIDER, type AiProvider } from './providers/ai-provider';

type SendBody = Parameters<OutboundService['sendInConversation']>[2];

/**
 * What people do with AI artifacts: ask for one (202 `pending`, a job fills it), read, edit and
 * discard drafts, and approve one, which is the only way AI text leaves the platform: it goes
 * through the outbound service and its send policy like any message.
 */
@Injectable()
export class AiArtifactsService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversations: ConversationsService,
    private readonly outbound: OutboundService,
    private readonly gate: AiGate,
    private readonly usage: UsageMeter,
    private readonly events: DomainEventsSubscriber,
    @Inject(AI_PROVIDER) private readonly provider: AiProvider,
    @InjectQueue(QUEUES.ai) private readonly queue: Queue<JobPayloads['ai.generate']>,
  ) {}

  async request(ctx: RequestCtx, conversationId: string, kind: ArtifactKind, instructions?: string): Promise<AiArtifactView> {
    const conversation = await this.conversations.load(ctx, conversationId, 'read');
    await this.gate.assertAllowed(ctx.workspaceId, conversation.contactId);
    const artifact = this.em.create(AiArtifact, {
      workspaceId: ctx.workspaceId,
      conversationId: conversation.id,
      kind,
      instructions: instructions ?? null,
      provider: this.provider.name,
      model: this.provider.model,
      requestedByType: ctx.actor.type,
      requestedById: ctx.actor.id,
    });
    assertCan(ctx, 'create', 'AiArtifact', artifact);
    await this.em.flush();
    // After the request's commit (the job must see the row); when Redis does not answer, the sweeper enqueues it.
    const job = { workspaceId: ctx.workspaceId, artifactId: artifact.id };
    this.events.afterCommit(this.em, () => void enqueueSafely(this.queue, JOBS.ai.generate, job, aiJobOptions(artifact.id)));
    return toArtifactView(artifact);
  }

  /** Newest first, keyset on the time-ordered id; the role's conditions filter in the database. */
  async list(ctx: RequestCtx, q: ArtifactQuery): Promise<Page<AiArtifactView>> {
    if (q.conversationId) await this.conversations.load(ctx, q.conversationId, 'read');
    const beforeId = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      AiArtifact,
      {
        $and: [
          permittedWhere(ctx, 'read', 'AiArtifact'),
          {
            workspaceId: ctx.workspaceId,
            ...(q.conversationId ? { conversationId: q.conversationId } : {}),
            ...(q.kind ? { kind: q.kind } : {}),
            ...(q.status ? { status: q.status } : {}),
            ...(beforeId ? { id: { $lt: beforeId } } : {}),
          },
        ],
      },
      { orderBy: { id: 'desc' }, limit: q.limit + 1 },
    );
    return toPage(rows, q.limit, (a) => ({ id: a.id }), toArtifactView);
  }

  async get(ctx: RequestCtx, id: string): Promise<AiArtifactView> {
    return toArtifactView(await this.load(ctx, id, 'read'));
  }

  /** A person's edit of a ready draft; every version stays in `history`. */
  async edit(ctx: RequestCtx, id: string, dto: UpdateArtifactDto): Promise<AiArtifactView> {
    const artifact = await this.load(ctx, id, 'update');
    assertDraftIn(artifact, EDITABLE, 'edited');
    const revision = { content: dto.content, at: new Date().toISOString(), by: ctx.actor };
    const rows = await this.em.execute<{ id: string }[]>(
      `update ai_artifacts set content = ?, history = history || ?::jsonb, updated_at = now()
       where workspace_id = ? and id = ? and kind = 'draft' and status in (${EDITABLE.map(() => '?').join(', ')}) returning id`,
      [dto.content, JSON.stringify([revision]), ctx.workspaceId, id, ...EDITABLE],
    );
    if (!rows.length) throw notInState('The draft changed meanwhile (approved or discarded); it can no longer be edited.');
    return toArtifactView(await this.em.refreshOrFail(artifact));
  }

  /**
   * Sends the draft's current text through the one outbound path: the send policy decides first
   * (its refusals leave the draft `ready`), then, in the send's own transaction, the draft is claimed
   * with a conditional UPDATE, so of any number of concurrent approvals exactly one creates a message.
   */
  async approve(ctx: RequestCtx, id: string, dto: ApproveDraftDto): Promise<MessageView> {
    const artifact = await this.load(ctx, id, 'approve');
    assertDraftIn(artifact, APPROVABLE, 'approved');
    const conversation = await this.conversations.load(ctx, artifact.conversationId, 'read');
    await this.gate.assertAllowed(ctx.workspaceId, conversation.contactId);
    const text = artifact.content!;
    const body: SendBody = Object.assign({ text }, dto.channelId ? { channelId: dto.channelId } : {});
    const message = await this.outbound.sendInConversation(ctx, artifact.conversationId, body, {
      artifactId: artifact.id,
      approvedBy: ctx.actor,
      claim: async (tx, messageId) => {
        // `content = ?`: an edit that landed after we read the draft is not sent unseen.
        const rows = await tx.execute<{ id: string }[]>(
          `update ai_artifacts set status = 'approved', message_id = ?, approved_by_type = ?, approved_by_id = ?, approved_at = now(), updated_at = now()
           where workspace_id = ? and id = ? and kind = 'draft' and status = 'ready' and content = ? returning id`,
          [messageId, ctx.actor.type, ctx.actor.id, ctx.workspaceId, artifact.id, text],
        );
        if (!rows.length) throw notInState('The draft was approved, discarded or edited meanwhile; nothing was sent.');
      },
    });
    this.usage.record(ctx.workspaceId, wasEdited(artifact) ? 'ai_drafts_approved_edited' : 'ai_drafts_approved_unedited');
    return message;
  }

  async discard(ctx: RequestCtx, id: string): Promise<AiArtifactView> {
    const artifact = await this.load(ctx, id, 'update');
    assertDraftIn(artifact, DISCARDABLE, 'discarded');
    const rows = await this.em.execute<{ id: string }[]>(
      `update ai_artifacts set status = 'discarded', updated_at = now()
       where workspace_id = ? and id = ? and kind = 'draft' and status in (${DISCARDABLE.map(() => '?').join(', ')}) returning id`,
      [ctx.workspaceId, id, ...DISCARDABLE],
    );
    if (!rows.length) throw notInState('The draft was approved meanwhile; it can no longer be discarded.');
    this.usage.record(ctx.workspaceId, 'ai_drafts_discarded');
    return toArtifactView(await this.em.refreshOrFail(artifact));
  }

  /** Another workspace's id answers 404; one this role may not touch, 403. */
  private async load(ctx: RequestCtx, id: string, action: Action): Promise<AiArtifact> {
    const artifact = await this.em.findOne(AiArtifact, { id, workspaceId: ctx.workspaceId });
    if (!artifact) throw artifactNotFound();
    assertCan(ctx, action, 'AiArtifact', artifact);
    return artifact;
  }
}
