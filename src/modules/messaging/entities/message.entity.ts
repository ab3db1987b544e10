import { Entity, Enum, Index, Property, Unique } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import type { ActorType } from '../../../common/authz';
import type { InboundMessageType } from '../../channels';

export const MESSAGE_DIRECTIONS = ['inbound', 'outbound', 'internal'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export type MessageType = InboundMessageType | 'note' | 'template';

export interface MessageEmail {
  textBody?: string;
  htmlBody?: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
}

/** Type-specific content besides text: shared location or contacts, the tapped button, the raw unsupported part. */
export interface MessagePayload {
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  contacts?: { name?: string; phone?: string; userId?: string; waId?: string }[];
  interactive?: { id?: string; title?: string; payload?: string };
  raw?: unknown;
  /** Media parts the provider did not let us download. */
  mediaUnavailable?: { filename?: string; contentType?: string }[];
}

export interface MessageReaction {
  emoji: string;
  by: 'contact' | 'agent';
  at: string;
}

export interface MessageRevision {
  text: string | null;
  at: string;
}

export interface StatusChange {
  status: string;
  at: string;
}

/** Why an outbound message failed; `retryable` says whether a retry could help. */
export interface MessageError {
  code: string;
  message: string;
  retryable: boolean;
}

/** A WhatsApp template an outbound message asked for. */
export interface MessageTemplate {
  name: string;
  language: string;
  parameters?: { header?: string[]; body?: string[]; buttons?: string[] };
}

export const SEND_PATHS = ['reply', 'business_initiated', 'ai_draft', 'retry'] as const;
export type MessageSendPath = (typeof SEND_PATHS)[number];

@Entity({ tableName: 'messages' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'conversationId', 'id'] })
@Unique({ properties: ['workspaceId', 'channelId', 'providerMessageId'] })
export class Message extends TenantEntity<'reactions' | 'revisions' | 'statusHistory' | 'aiAssisted' | 'attemptBase'> {
  @Property({ type: 'uuid' })
  conversationId!: string;

  /** Null for internal notes. */
  @Property({ type: 'uuid', nullable: true })
  channelId?: string | null;

  @Property({ type: 'uuid' })
  contactId!: string;

  /** Inbound: the contact identifier it came from (see the migration adding it). */
  @Property({ type: 'uuid', nullable: true, hidden: true })
  senderIdentifierId?: string | null;

  @Enum({ items: [...MESSAGE_DIRECTIONS] })
  direction!: MessageDirection;

  @Property({ type: 'text' })
  type!: MessageType;

  @Property({ type: 'text', nullable: true })
  text?: string | null;

  @Property({ type: 'text', nullable: true })
  subject?: string | null;

  @Property({ type: 'jsonb', nullable: true })
  email?: MessageEmail | null;

  @Property({ type: 'jsonb', nullable: true })
  payload?: MessagePayload | null;

  @Property({ type: 'uuid', nullable: true })
  replyToMessageId?: string | null;

  @Property({ type: 'jsonb' })
  reactions: MessageReaction[] = [];

  @Property({ type: 'timestamptz', nullable: true })
  editedAt?: Date | null;

  @Property({ type: 'jsonb' })
  revisions: MessageRevision[] = [];

  /** Inbound `received`; outbound `queued → sent → delivered → read` or `failed`; notes `internal`. */
  @Property({ type: 'text' })
  status!: string;

  @Property({ type: 'text', nullable: true })
  providerMessageId?: string | null;

  /** The provider's timestamp of the message. */
  @Property({ type: 'timestamptz', nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'jsonb' })
  statusHistory: StatusChange[] = [];

  @Property({ type: 'boolean' })
  aiAssisted = false;

  /** Outbound: the AI draft this message sends (at most one message per draft). */
  @Property({ type: 'uuid', nullable: true })
  aiArtifactId?: string | null;

  /** Outbound AI-assisted: the person or key whose approve call sent it. */
  @Property({ type: 'text', nullable: true })
  approvedByType?: ActorType | null;

  @Property({ type: 'text', nullable: true })
  approvedById?: string | null;

  /** Who wrote a note or sent an outbound message. */
  @Property({ type: 'text', nullable: true })
  authorType?: ActorType | null;

  @Property({ type: 'text', nullable: true })
  authorId?: string | null;

  /** Outbound: the last delivery error. */
  @Property({ type: 'jsonb', nullable: true })
  error?: MessageError | null;

  @Property({ type: 'jsonb', nullable: true })
  template?: MessageTemplate | null;

  @Property({ type: 'text', nullable: true })
  sendPath?: MessageSendPath | null;

  /** Outbound: the provider address compliance resolved (email, E.164 phone, Telegram chat id). */
  @Property({ type: 'text', nullable: true, hidden: true })
  recipient?: string | null;

  /** Outbound: provider attempts made before the latest manual retry; each retry gets a fresh budget. */
  @Property({ type: 'integer', hidden: true })
  attemptBase = 0;
}
