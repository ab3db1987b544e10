import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit';
import { ConversationChannel } from '../entities/conversation-channel.entity';

export const WINDOW_CLOSED_CODE = '131047';

/**
 * WhatsApp 131047 ("more than 24 h since the customer last replied"), whether answered at send time
 * or in a status webhook, closes the conversation's window early; the closure is audited.
 */
@Injectable()
export class WhatsappWindowCloser {
  constructor(private readonly audit: AuditService) {}

  async close(tx: EntityManager, c: { workspaceId: string; conversationId: string; channelId: string; messageId: string }): Promise<void> {
    await tx.nativeUpdate(ConversationChannel, { workspaceId: c.workspaceId, conversationId: c.conversationId, channelId: c.channelId }, { windowClosedAt: new Date() });
    await this.audit.record({
      workspaceId: c.workspaceId,
      actor: { type: 'provider', id: 'whatsapp' },
      action: 'whatsapp.window_closed',
      subjectType: 'Conversation',
      subjectId: c.conversationId,
      changes: { channelId: c.channelId, messageId: c.messageId, providerCode: WINDOW_CLOSED_CODE },
    });
  }
}
