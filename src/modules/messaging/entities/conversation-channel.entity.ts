import { Entity, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { ChannelType } from '../../channels';

/** A channel a conversation has traffic on, with the times the send policy needs. */
@Entity({ tableName: 'conversation_channels' })
@TenantScoped()
@Unique({ properties: ['workspaceId', 'conversationId', 'channelId'] })
export class ConversationChannel extends TenantEntity {
  @Property({ type: 'uuid' })
  conversationId!: string;

  @Property({ type: 'uuid' })
  channelId!: string;

  @Property({ type: 'text' })
  channelType!: ChannelType;

  /** When we received the contact's latest message on this channel. */
  @Property({ type: 'timestamptz', nullable: true })
  lastInboundAt?: Date | null;

  /** The provider's timestamp of that message: WhatsApp's 24 h window is measured from it. */
  @Property({ type: 'timestamptz', nullable: true })
  lastInboundProviderAt?: Date | null;

  /** WhatsApp: a provider 131047 ("re-engagement required") closed the window before its 24 h ran out. */
  @Property({ type: 'timestamptz', nullable: true })
  windowClosedAt?: Date | null;
}
