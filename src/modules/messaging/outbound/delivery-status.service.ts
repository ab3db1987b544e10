import { LockMode, RequestContext } from '@mikro-orm/core';
import { UsageMeter } from '../../../common/usage';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { isUuid } from '../../../common/authz';
import { DomainEventsSubscriber } from '../../../common/events';
import { TENANT_FILTER } from '../../../infrastructure/database';
import type { InboundEvent, NormalizedStatusUpdate, ParsedWebhook } from '../../channels';
import { ContactConsentsService } from '../../identity';
import { Message } from '../entities/message.entity';
import { applyStatus } from './delivery-rules';
import { WhatsappWindowCloser, WINDOW_CLOSED_CODE } from './whatsapp-window-closer';


/**
 * Applies provider delivery statuses (WhatsApp statuses, Postmark Delivery/Bounce/SpamComplaint) to
 * our outbound messages. Replays and out-of-order arrivals are routine: status only moves forward.
 */
@Injectable()
export class DeliveryStatusService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEventsSubscriber,
    private readonly consents: ContactConsentsService,
    private readonly windows: WhatsappWindowCloser,
    private readonly usage: UsageMeter,
  ) {}

  consume(event: InboundEvent, parsed: ParsedWebhook): Promise<void> {
    // Provider time order, so a batch carrying sent and read together is applied as it happened.
    const statuses = [...parsed.statuses].sort((a, b) => a.at.getTime() - b.at.getTime());
    if (!statuses.length) return Promise.resolve();
    return RequestContext.create(this.em, async () => {
      for (const update of statuses) await this.apply(event, update);
    });
  }

  private async apply(event: InboundEvent, update: NormalizedStatusUpdate): Promise<void> {
    const em = this.em.fork();
    em.setFilterParams(TENANT_FILTER, { workspaceId: event.workspaceId });
    let failed = false;
    const recipient = await em.transactional(async (tx) => {
      const message = await this.target(tx, event, update);
      if (!message) return null;
      if (!message.providerMessageId) message.providerMessageId = update.providerMessageId;
      const next = applyStatus(message, update);
      if (!next) return message.recipient ?? null;
      const changed = next.status !== message.status;
      Object.assign(message, next);
      if (changed && next.status === 'failed') {
        failed = true;
        message.error = { code: update.error?.code ?? 'failed', message: update.error?.message ?? 'The provider could not deliver the message.', retryable: false };
        if (event.channelType === 'whatsapp' && update.error?.code === WINDOW_CLOSED_CODE) {
          await this.windows.close(tx, { workspaceId: event.workspaceId, conversationId: message.conversationId, channelId: event.channelId, messageId: message.id });
        }
      }
      if (changed) this.events.emitAfterCommit(tx, 'message.status_changed', { workspaceId: event.workspaceId, messageId: message.id, status: next.status });
      return message.recipient ?? null;
    });
    if (failed) this.usage.record(event.workspaceId, 'delivery_failures', 1, event.channelType);
    // Postmark hard bounce: the address stays on file but is not used for sending any more.
    const address = update.recipient ?? recipient;
    if (update.recipientUndeliverable && event.channelType === 'email' && address) {
      await this.consents.markUndeliverable(event.workspaceId, 'email', address);
    }
  }

  /** By the provider's id, or by our id echoed back (a status may overtake the worker's own `sent`). */
  private async target(tx: EntityManager, event: InboundEvent, update: NormalizedStatusUpdate): Promise<Message | null> {
    const lock = { lockMode: LockMode.PESSIMISTIC_WRITE } as const;
    const scope = { workspaceId: event.workspaceId, channelId: event.channelId, direction: 'outbound' as const };
    const byProvider = await tx.findOne(Message, { ...scope, providerMessageId: update.providerMessageId }, lock);
    if (byProvider) return byProvider;
    return update.ourMessageId && isUuid(update.ourMessageId) ? tx.findOne(Message, { ...scope, id: update.ourMessageId }, lock) : null;
  }
}
