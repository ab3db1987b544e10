import { EntityManager } from '@mikro-orm/postgresql';
import type { ChannelType, TemplatesService } from '../../channels';
import { templateShape, TemplateShape } from '../../compliance';
import { ConversationChannel } from '../entities/conversation-channel.entity';
import type { MessageTemplate } from '../entities/message.entity';

export interface SendFacts {
  /** WhatsApp: the provider's timestamp of the contact's last inbound message on this channel. */
  lastInboundAt: Date | null;
  windowClosedAt: Date | null;
  approvedTemplate: TemplateShape | null;
}

/** The policy's facts, and the approved template's Graph components, which the provider payload needs. */
export interface GatheredSendFacts {
  facts: SendFacts;
  templateComponents: unknown[] | null;
}

/**
 * What messaging knows that the send policy needs (the conversation's WhatsApp window, the approved
 * template's shape), gathered the same way at acceptance and again in the worker before the call.
 */
export async function sendFacts(
  em: EntityManager,
  templates: TemplatesService,
  send: { workspaceId: string; conversationId: string | null; channel: { id: string; type: ChannelType }; template: MessageTemplate | null },
): Promise<GatheredSendFacts> {
  const { workspaceId, conversationId, channel, template } = send;
  const row = conversationId ? await em.findOne(ConversationChannel, { workspaceId, conversationId, channelId: channel.id }) : null;
  const approved = template && channel.type === 'whatsapp' ? await templates.findApproved(workspaceId, channel.id, template.name, template.language) : null;
  return {
    facts: {
      lastInboundAt: row?.lastInboundProviderAt ?? null,
      windowClosedAt: row?.windowClosedAt ?? null,
      approvedTemplate: approved ? templateShape(approved.components) : null,
    },
    templateComponents: approved?.components ?? null,
  };
}
