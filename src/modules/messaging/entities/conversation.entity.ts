import { Entity, Enum, Index, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';
import { TextArrayType } from './text-array.type';

export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * The one conversation of a contact: every channel's messages with that customer land here.
 * Rows are created by the inbound path (raw SQL, concurrency-safe) and by contact merges.
 */
@Entity({ tableName: 'conversations' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'lastMessageAt', 'id'] })
export class Conversation extends TenantEntity<'status' | 'labels'> {
  @Property({ type: 'uuid' })
  contactId!: string;

  @Enum({ items: [...CONVERSATION_STATUSES] })
  status: ConversationStatus = 'open';

  @Property({ type: 'timestamptz', nullable: true })
  snoozedUntil?: Date | null;

  /** A member's user id. */
  @Property({ type: 'uuid', nullable: true })
  assigneeId?: string | null;

  @Property({ type: TextArrayType, columnType: 'text[]' })
  labels: string[] = [];

  @Property({ type: 'timestamptz' })
  lastMessageAt!: Date;

  /** Plus-addressing token of our Reply-To (`support+<token>@…`), Postmark's MailboxHash on replies. */
  @Property({ type: 'text', hidden: true })
  emailThreadToken!: string;

  /** Set while this conversation's contact is merged into another contact's. */
  @Property({ type: 'uuid', nullable: true })
  mergedIntoId?: string | null;
}
