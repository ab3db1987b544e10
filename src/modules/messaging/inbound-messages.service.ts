import { LockMode, RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { UsageMeter } from '../../common/usage';
import { Injectable } from '@nestjs/common';
import { DomainEventsSubscriber } from '../../common/events';
import { TENANT_FILTER } from '../../infrastructure/database';
import type { InboundEvent, NormalizedEdit, NormalizedInboundMessage, NormalizedReaction, ParsedWebhook } from '../channels';
import { ComplianceService } from '../compliance';
import { IdentityService } from '../identity';
import { ConversationRow, ConversationsRepository } from './conversations.repository';
import { Message } from './entities/message.entity';
import { inboundContent, ownContactCard, quotedProviderIds } from './inbound-message.mapper';
import { applyContactReaction, applyEdit } from './message-history';

const REOPENS: readonly string[] = ['resolved', 'snoozed'];

/**
 * Appends what customers send to their one conversation: messages (with files already downloaded
 * by channels), reactions and edits. Replays are routine, so every step is keyed by the provider's
 * message id: the unique (channel, provider id) index decides, never a read-then-write.
 * Opt-out keywords and provider consent signals go to compliance; delivery statuses to outbound.
 */
@Injectable()
export class InboundMessagesService {
  constructor(
    private readonly em: EntityManager,
    private readonly identity: IdentityService,
    private readonly conversations: ConversationsRepository,
    private readonly events: DomainEventsSubscriber,
    private readonly compliance: ComplianceService,
    private readonly usage: UsageMeter,
  ) {}

  /** Runs in its own entity-manager context scoped to the workspace, which identity's calls share. */
  consume(event: InboundEvent, parsed: ParsedWebhook): Promise<void> {
    return RequestContext.create(this.em, async () => {
      this.em.setFilterParams(TENANT_FILTER, { workspaceId: event.workspaceId });
      for (const message of parsed.messages) await this.receive(event, message);
      for (const reaction of parsed.reactions) await this.react(event, reaction);
      for (const edit of parsed.edits) await this.edit(event, edit);
      for (const consent of parsed.consents) await this.compliance.onProviderConsent(event.workspaceId, event.channelType, consent);
    });
  }

  private async receive(event: InboundEvent, m: NormalizedInboundMessage): Promise<void> {
    const { workspaceId, channelId } = event;
    if (await this.conversations.messageIdByProviderIds(this.em, workspaceId, channelId, [m.providerMessageId])) return;
    const { contactId: senderId, identifierId } = await this.identity.resolveSender(workspaceId, m.from, event.channelType);
    const card = ownContactCard(m);
    const content = inboundContent(m, event.media);

    const inserted = await this.em.transactional(async (tx) => {
      let contactId = senderId;
      const receivedAt = new Date();
      const { row: conversation, created } = await this.conversationFor(tx, workspaceId, contactId, m, receivedAt);
      const replyToMessageId = await this.conversations.messageIdByProviderIds(tx, workspaceId, channelId, quotedProviderIds(m), m.email?.inReplyTo);
      const messageId = await this.conversations.insertInbound(tx, {
        workspaceId,
        conversationId: conversation.id,
        channelId,
        contactId,
        senderIdentifierId: identifierId,
        type: content.type,
        text: content.text,
        subject: content.subject,
        email: content.email,
        payload: content.payload,
        replyToMessageId,
        providerMessageId: m.providerMessageId,
        sentAt: m.sentAt,
        receivedAt,
      });
      // A concurrent copy of this delivery got there first.
      if (!messageId) return null;
      await this.conversations.insertAttachments(tx, workspaceId, messageId, content.attachments);
      const newChannel = await this.conversations.touchChannel(tx, { workspaceId, conversationId: conversation.id, channelId, channelType: event.channelType, receivedAt, providerAt: m.sentAt });
      const reopen = REOPENS.includes(conversation.status);
      await this.conversations.touchConversation(tx, conversation.id, receivedAt, reopen);

      if (created) this.events.emitAfterCommit(tx, 'conversation.created', { workspaceId, conversationId: conversation.id, contactId: conversation.contact_id });
      const changes = [...(reopen ? ['status', 'snoozedUntil'] : []), ...(newChannel && !created ? ['channels'] : [])];
      if (changes.length) this.events.emitAfterCommit(tx, 'conversation.updated', { workspaceId, conversationId: conversation.id, changes });
      let conversationId = conversation.id;
      // Only once the card is in its sender's own conversation: a merge it triggers then journals it
      // with the sender's other messages, and an undo takes it back out with them.
      if (card) {
        ({ contactId } = await this.identity.applyContactCard(workspaceId, contactId, card, m.from.value));
        if (contactId !== senderId) conversationId = (await this.conversations.liveById(tx, workspaceId, conversation.id))?.id ?? conversationId;
      }
      this.events.emitAfterCommit(tx, 'message.received', { workspaceId, messageId, conversationId, contactId });
      return { messageId, contactId };
    });
    // STOP / START as the whole message changes consent for this channel type (once: only a new message counts).
    if (inserted) {
      this.usage.record(workspaceId, 'messages_in', 1, event.channelType);
      await this.compliance.onInboundText(workspaceId, inserted.contactId, event.channelType, m.text, { messageId: inserted.messageId, providerMessageId: m.providerMessageId, channelId });
    }
  }

  /** An email reply carrying our plus-address token lands in that conversation even from another address. */
  private async conversationFor(tx: EntityManager, workspaceId: string, contactId: string, m: NormalizedInboundMessage, at: Date): Promise<{ row: ConversationRow; created: boolean }> {
    const token = m.email?.mailboxHash;
    const threaded = token ? await this.conversations.liveByThreadToken(tx, workspaceId, token) : null;
    return threaded ? { row: threaded, created: false } : this.conversations.findOrCreate(tx, workspaceId, contactId, at);
  }

  private async react(event: InboundEvent, r: NormalizedReaction): Promise<void> {
    await this.em.transactional(async (tx) => {
      const target = await this.target(tx, event, r.targetProviderMessageId);
      const reactions = target && applyContactReaction(target.reactions, r.emoji, r.at);
      if (target && reactions) target.reactions = reactions;
    });
  }

  private async edit(event: InboundEvent, e: NormalizedEdit): Promise<void> {
    await this.em.transactional(async (tx) => {
      const target = await this.target(tx, event, e.providerMessageId);
      if (!target || target.direction !== 'inbound') return;
      const next = applyEdit(
        { text: target.text ?? null, editedAt: target.editedAt ?? null, writtenAt: target.sentAt ?? target.createdAt, revisions: target.revisions },
        e.text,
        e.editedAt,
      );
      if (next) Object.assign(target, next);
    });
  }

  /** The message a reaction or edit refers to, locked; unknown targets (older than us) are skipped. */
  private target(tx: EntityManager, event: InboundEvent, providerMessageId: string): Promise<Message | null> {
    return tx.findOne(Message, { workspaceId: event.workspaceId, channelId: event.channelId, providerMessageId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }
}
