import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bull';
import { assertCan, RequestCtx, type Actor } from '../../../common/authz';
import { DomainError, NotFoundError } from '../../../common/errors';
import { DomainEventsSubscriber } from '../../../common/events';
import { enqueueSafely, JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { AppConfig } from '../../../config';
import { newId } from '../../../infrastructure/database';
import { FileStorage, InjectFileStorage, StoredFile } from '../../../infrastructure/storage';
import { ChannelsService, TemplatesService } from '../../channels';
import { ComplianceService, retryPath, SendPath } from '../../compliance';
import { ContactSummary, IdentityService } from '../../identity';
import { ConversationsRepository } from '../conversations.repository';
import { ConversationsService } from '../conversations.service';
import { Attachment } from '../entities/attachment.entity';
import { ConversationChannel } from '../entities/conversation-channel.entity';
import { Conversation } from '../entities/conversation.entity';
import { Message, MessageEmail, MessageTemplate, MessageType } from '../entities/message.entity';
import { MessagesService } from '../messages.service';
import { MessageView, toMessageView } from '../message.view';
import { messageNotFound } from '../messaging.errors';
import { MAX_ATTACHMENT_BYTES, SendContentDto, SendMessageDto, SendToContactDto } from './dto/send-message.dto';
import { outboundJobOptions } from './outbound-jobs';
import { sendFacts } from './send-facts';

type SendChannel = Awaited<ReturnType<ChannelsService['load']>>;

/** An approved AI draft on its way out (the AI module's approve call is the only caller). */
export interface AiApproval {
  artifactId: string;
  approvedBy: Actor;
  /**
   * Runs first inside the send's transaction (after the send policy said yes); marks the draft
   * approved with this message id, or throws to refuse, and then nothing is created.
   */
  claim(tx: EntityManager, messageId: string): Promise<void>;
}

interface DecodedAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** WhatsApp and Telegram carry one file per provider message. */
const SINGLE_ATTACHMENT_CHANNELS = new Set(['whatsapp', 'telegram']);

/** A semantic problem with an otherwise well-formed send (wrong channel for the body, no channel to use). */
const unusable = (field: string, message: string) => new DomainError('validation_failed', message, { errors: [{ field, message }] }, 422);

/** Replies keep one `Re:` however long the thread. */
const replySubject = (subject: string | null | undefined) => (subject ? (/^re:/i.test(subject.trim()) ? subject.trim() : `Re: ${subject.trim()}`) : undefined);

const messageTypeOf = (channel: SendChannel, content: SendContentDto, files: DecodedAttachment[]): MessageType => {
  if (channel.type === 'email') return 'email';
  if (content.template) return 'template';
  if (files.length && !content.text) {
    const major = files[0].contentType.split('/')[0];
    return major === 'image' || major === 'video' || major === 'audio' ? major : 'document';
  }
  return 'text';
};

/**
 * Accepts outbound messages on every path (conversation reply, business-initiated, retry): the send
 * policy first (a refusal creates nothing), then the `queued` row with its files in one transaction,
 * then the job, after the commit. Delivery itself happens on the worker (OutboundDeliveryService).
 */
@Injectable()
export class OutboundService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversations: ConversationsService,
    private readonly conversationRows: ConversationsRepository,
    private readonly messages: MessagesService,
    private readonly channels: ChannelsService,
    private readonly templates: TemplatesService,
    private readonly compliance: ComplianceService,
    private readonly identity: IdentityService,
    private readonly events: DomainEventsSubscriber,
    private readonly config: AppConfig,
    @InjectFileStorage() private readonly storage: FileStorage,
    @InjectQueue(QUEUES.outbound) private readonly queue: Queue<JobPayloads['outbound.send']>,
  ) {}

  /**
   * An agent's or integration's message in a conversation; the channel defaults to the latest inbound
   * one. With `approval` it is an approved AI draft: judged as the `ai_draft` path and marked AI-assisted.
   */
  async sendInConversation(ctx: RequestCtx, conversationId: string, dto: SendMessageDto, approval?: AiApproval): Promise<MessageView> {
    const conversation = await this.conversations.load(ctx, conversationId, 'read');
    const channel = await this.channelFor(ctx, conversation, dto.channelId);
    return this.accept(ctx, { conversation, contactId: conversation.contactId, channel, content: dto, path: approval ? 'ai_draft' : 'reply', approval });
  }

  /** A business-initiated message to a contact (its conversation is created when it has none yet). */
  async sendToContact(ctx: RequestCtx, dto: SendToContactDto): Promise<MessageView> {
    const contact = await this.identity.getContact(ctx.workspaceId, dto.contactId);
    if (!contact || contact.mergedIntoId) throw new NotFoundError('Contact', contact?.mergedIntoId ? { mergedInto: contact.mergedIntoId } : {});
    const channel = await this.activeChannel(ctx, dto.channelId);
    const conversation = await this.em.findOne(Conversation, { workspaceId: ctx.workspaceId, contactId: contact.id, mergedIntoId: null });
    return this.accept(ctx, { conversation, contactId: contact.id, contact, channel, content: dto, path: 'business_initiated' });
  }

  /**
   * The same failed message, queued again after the policy says yes once more, judged by the rules
   * of the path it was first sent on. It gets a fresh budget of automatic attempts.
   */
  async retry(ctx: RequestCtx, messageId: string): Promise<MessageView> {
    const message = await this.em.findOne(Message, { id: messageId, workspaceId: ctx.workspaceId });
    if (!message) throw messageNotFound();
    assertCan(ctx, 'send', 'Message', message);
    if (message.direction !== 'outbound' || message.status !== 'failed' || !message.channelId) {
      throw new DomainError('retry_not_allowed', `Only a failed outbound message can be retried; this one is ${message.status}.`);
    }
    const channel = await this.activeChannel(ctx, message.channelId);
    const template = message.template ?? null;
    const { recipient } = await this.compliance.assertSendAllowed({
      workspaceId: ctx.workspaceId,
      contactId: message.contactId,
      channelId: channel.id,
      channelType: channel.type,
      path: retryPath(message.sendPath),
      retry: true,
      messageId: message.id,
      actor: ctx.actor,
      template,
      ...(await sendFacts(this.em, this.templates, { workspaceId: ctx.workspaceId, conversationId: message.conversationId, channel, template })).facts,
    });
    const requeued = await this.em.transactional(async (tx) => {
      const at = new Date().toISOString();
      // Conditional, so two concurrent retries queue it once and the other answers 409. The attempts
      // made so far become the base the worker counts OUTBOUND_MAX_ATTEMPTS from.
      const rows = await tx.execute<{ id: string }[]>(
        `update messages set status = 'queued', error = null, recipient = ?, updated_at = now(),
                status_history = status_history || ?::jsonb,
                attempt_base = (select count(*) from message_attempts a where a.workspace_id = messages.workspace_id and a.message_id = messages.id)
         where workspace_id = ? and id = ? and status = 'failed' returning id`,
        [recipient, JSON.stringify([{ status: 'queued', at }]), ctx.workspaceId, message.id],
      );
      if (rows.length) this.events.emitAfterCommit(tx, 'message.status_changed', { workspaceId: ctx.workspaceId, messageId: message.id, status: 'queued' });
      return rows.length > 0;
    });
    if (!requeued) throw new DomainError('retry_not_allowed', 'The message is no longer failed.');
    this.enqueueAfterCommit(ctx.workspaceId, message.id, true);
    return this.messages.get(ctx, message.id);
  }

  private async accept(
    ctx: RequestCtx,
    req: { conversation: Conversation | null; contactId: string; contact?: ContactSummary; channel: SendChannel; content: SendContentDto; path: SendPath; approval?: AiApproval },
  ): Promise<MessageView> {
    const { conversation, contactId, contact, channel, content, path, approval } = req;
    this.checkFitsChannel(channel, content);
    const files = this.decodeAttachments(content);
    const template: MessageTemplate | null = content.template
      ? { name: content.template.name, language: content.template.language, ...(content.template.parameters ? { parameters: { ...content.template.parameters } } : {}) }
      : null;
    const { recipient } = await this.compliance.assertSendAllowed({
      workspaceId: ctx.workspaceId,
      contactId,
      contact,
      channelId: channel.id,
      channelType: channel.type,
      path,
      actor: ctx.actor,
      template,
      ...(await sendFacts(this.em, this.templates, { workspaceId: ctx.workspaceId, conversationId: conversation?.id ?? null, channel, template })).facts,
    });
    const replyTo = conversation && content.replyToMessageId ? await this.quotable(ctx, conversation.id, channel.id, content.replyToMessageId) : null;
    const threading = conversation && channel.type === 'email' ? await this.emailThreading(ctx.workspaceId, conversation.id, channel.id) : null;

    const id = newId();
    const stored: (DecodedAttachment & StoredFile)[] = [];
    // Files first: a rollback leaves an unreferenced file, never a row without its file.
    for (const [i, f] of files.entries()) {
      const put = await this.storage.put(`${ctx.workspaceId}/outbound/${id}/${i}`, f.data, f.contentType);
      stored.push({ ...f, ...put });
    }
    const { message, attachments } = await this.em.transactional(async (tx) => {
      // First, so concurrent approvals of one draft queue behind its row lock and all but one refuse.
      if (approval) await approval.claim(tx, id);
      const now = new Date();
      const conversationId = conversation?.id ?? (await this.conversationRows.findOrCreate(tx, ctx.workspaceId, contactId, now)).row.id;
      const email: MessageEmail | null =
        channel.type === 'email'
          ? { ...(content.text ? { textBody: content.text } : {}), ...(content.html ? { htmlBody: content.html } : {}), ...(threading?.email ?? {}) }
          : null;
      const message = tx.create(Message, {
        id,
        workspaceId: ctx.workspaceId,
        conversationId,
        channelId: channel.id,
        contactId,
        direction: 'outbound',
        type: messageTypeOf(channel, content, files),
        text: content.text ?? null,
        subject: channel.type === 'email' ? (content.subject ?? threading?.subject ?? null) : null,
        email,
        replyToMessageId: replyTo?.id ?? null,
        status: 'queued',
        statusHistory: [{ status: 'queued', at: now.toISOString() }],
        authorType: ctx.actor.type,
        authorId: ctx.actor.id,
        template,
        sendPath: path,
        recipient,
        ...(approval ? { aiAssisted: true, aiArtifactId: approval.artifactId, approvedByType: approval.approvedBy.type, approvedById: approval.approvedBy.id } : {}),
      });
      assertCan(ctx, 'send', 'Message', message);
      const attachments = stored.map((f) =>
        tx.create(Attachment, { workspaceId: ctx.workspaceId, messageId: id, filename: f.filename, contentType: f.contentType, size: f.size, sha256: f.sha256, storageKey: f.key }),
      );
      await tx.flush();
      await this.conversationRows.touchConversation(tx, conversationId, now, false);
      return { message, attachments };
    });
    this.enqueueAfterCommit(ctx.workspaceId, id, false);
    // The rows just written are the answer (no attempts yet): no need to read them back.
    return toMessageView(ctx, message, attachments);
  }

  /**
   * After the request's whole transaction commits (its audit entry and idempotency record included),
   * never for a row a rollback erases; when Redis does not answer, the sweeper enqueues the row later.
   */
  private enqueueAfterCommit(workspaceId: string, messageId: string, replace: boolean): void {
    this.events.afterCommit(this.em, () => void this.enqueue(workspaceId, messageId, replace));
  }

  private async enqueue(workspaceId: string, messageId: string, replace: boolean): Promise<void> {
    if (replace) {
      // A retry reuses the message id as job id; a leftover job of the earlier run would swallow the add.
      await this.queue
        .getJob(messageId)
        .then((job) => job?.remove())
        .catch(() => undefined);
    }
    await enqueueSafely(this.queue, JOBS.outbound.send, { workspaceId, messageId }, outboundJobOptions(this.config.env, messageId));
  }

  private async channelFor(ctx: RequestCtx, conversation: Conversation, channelId: string | undefined): Promise<SendChannel> {
    if (channelId) return this.activeChannel(ctx, channelId);
    const latest = await this.em.findOne(
      ConversationChannel,
      { workspaceId: ctx.workspaceId, conversationId: conversation.id, lastInboundAt: { $ne: null } },
      { orderBy: { lastInboundAt: 'desc' } },
    );
    if (!latest) throw unusable('channelId', 'The conversation has no inbound message yet; name the channel to send on.');
    return this.activeChannel(ctx, latest.channelId);
  }

  /** Another workspace's channel answers 404 (load is scoped); a disconnected one cannot send. */
  private async activeChannel(ctx: RequestCtx, channelId: string): Promise<SendChannel> {
    const channel = await this.channels.load(ctx, channelId);
    if (channel.status !== 'active') throw unusable('channelId', 'The channel is disconnected.');
    return channel;
  }

  private checkFitsChannel(channel: SendChannel, content: SendContentDto): void {
    if (content.subject !== undefined && channel.type !== 'email') throw unusable('subject', 'subject is only for email channels.');
    if (content.html !== undefined && channel.type !== 'email') throw unusable('html', 'html is only for email channels.');
    if (content.template && channel.type !== 'whatsapp') throw unusable('template', 'templates are only for WhatsApp channels.');
    // Refused up front rather than split into several provider messages that could partly fail.
    if ((content.attachments?.length ?? 0) > 1 && SINGLE_ATTACHMENT_CHANNELS.has(channel.type)) {
      const message = `${channel.type} messages carry at most one attachment; send each file as its own message.`;
      throw new DomainError('validation_failed', message, { errors: [{ field: 'attachments', message }] }, 400);
    }
  }

  private decodeAttachments(content: SendContentDto): DecodedAttachment[] {
    return (content.attachments ?? []).map((a, i) => {
      const data = Buffer.from(a.contentBase64, 'base64');
      if (data.length > MAX_ATTACHMENT_BYTES) {
        throw new DomainError('payload_too_large', `attachments[${i}] is larger than 5 MiB.`, { errors: [{ field: `attachments[${i}].contentBase64`, message: 'at most 5 MiB decoded' }] });
      }
      return { filename: a.filename, contentType: a.contentType, data };
    });
  }

  private async quotable(ctx: RequestCtx, conversationId: string, channelId: string, messageId: string): Promise<Message> {
    const quoted = await this.em.findOne(Message, { id: messageId, workspaceId: ctx.workspaceId, conversationId, channelId });
    if (!quoted?.providerMessageId) throw unusable('replyToMessageId', 'replyToMessageId must be a message of this conversation on the same channel.');
    return quoted;
  }

  /** Threads the reply under the conversation's latest inbound email on this channel. */
  private async emailThreading(workspaceId: string, conversationId: string, channelId: string): Promise<{ subject?: string; email: MessageEmail } | null> {
    const latest = await this.em.findOne(
      Message,
      { workspaceId, conversationId, channelId, direction: 'inbound', email: { $ne: null } },
      { orderBy: { createdAt: 'desc', id: 'desc' } },
    );
    const parentId = latest?.email?.messageId;
    if (!latest || !parentId) return latest ? { subject: replySubject(latest.subject), email: {} } : null;
    const references = [...(latest.email?.references ?? []).filter((r) => r !== parentId), parentId];
    return { subject: replySubject(latest.subject), email: { inReplyTo: parentId, references } };
  }
}
