import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { newId } from '../../infrastructure/database';
import type { ChannelType } from '../channels';
import type { ConversationStatus } from './entities/conversation.entity';
import type { MessageEmail, MessagePayload } from './entities/message.entity';

/** A conversation row as the inbound and merge paths read it (raw SQL, snake_case). */
export interface ConversationRow {
  id: string;
  workspace_id: string;
  contact_id: string;
  status: ConversationStatus;
  merged_into_id: string | null;
}

export interface NewInboundMessage {
  workspaceId: string;
  conversationId: string;
  channelId: string;
  contactId: string;
  senderIdentifierId: string;
  type: string;
  text: string | null;
  subject: string | null;
  email: MessageEmail | null;
  payload: MessagePayload | null;
  replyToMessageId: string | null;
  providerMessageId: string;
  sentAt: Date;
  receivedAt: Date;
}

export interface NewAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  key: string;
}

const COLUMNS = 'id, workspace_id, contact_id, status, merged_into_id';
/** Merge chains are short (a merge of a merge); the bound only guards against a cycle. */
const MAX_CHAIN = 10;

/** Long enough to be unguessable, short and lower-case for an email local part (`support+<token>@…`). */
export const newThreadToken = (): string => randomBytes(10).toString('hex');

/**
 * The write side of conversations in plain SQL, for the paths that race: concurrent deliveries for
 * one contact, redelivered messages and merges. Every method runs on the caller's transaction.
 */
@Injectable()
export class ConversationsRepository {
  /** The contact's active conversation, locked until the transaction ends. */
  async liveOfContact(em: EntityManager, workspaceId: string, contactId: string): Promise<ConversationRow | null> {
    const rows = await em.execute<ConversationRow[]>(
      `select ${COLUMNS} from conversations where workspace_id = ? and contact_id = ? and merged_into_id is null for update`,
      [workspaceId, contactId],
    );
    return rows[0] ?? null;
  }

  /** The conversation with this id, or the one it was merged into, locked. */
  async liveById(em: EntityManager, workspaceId: string, id: string): Promise<ConversationRow | null> {
    let next: string | null = id;
    for (let hop = 0; next && hop < MAX_CHAIN; hop++) {
      const rows: ConversationRow[] = await em.execute<ConversationRow[]>(`select ${COLUMNS} from conversations where workspace_id = ? and id = ? for update`, [workspaceId, next]);
      if (!rows[0]) return null;
      if (!rows[0].merged_into_id) return rows[0];
      next = rows[0].merged_into_id;
    }
    return null;
  }

  /** The conversation whose plus-address token a reply carried (Postmark's MailboxHash). */
  async liveByThreadToken(em: EntityManager, workspaceId: string, token: string): Promise<ConversationRow | null> {
    const rows = await em.execute<{ id: string }[]>('select id from conversations where workspace_id = ? and email_thread_token = ?', [workspaceId, token.toLowerCase()]);
    return rows[0] ? this.liveById(em, workspaceId, rows[0].id) : null;
  }

  /**
   * The contact's one conversation, created when missing. Concurrent first messages of a contact
   * meet on the partial unique index: one insert wins, the others read its row.
   */
  async findOrCreate(em: EntityManager, workspaceId: string, contactId: string, at: Date): Promise<{ row: ConversationRow; created: boolean }> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const live = await this.liveOfContact(em, workspaceId, contactId);
      if (live) return { row: live, created: false };
      // A merge that committed after identity answered leaves this contact's conversation merged away.
      const merged = await em.execute<{ id: string }[]>(
        'select id from conversations where workspace_id = ? and contact_id = ? order by updated_at desc limit 1',
        [workspaceId, contactId],
      );
      const followed = merged[0] ? await this.liveById(em, workspaceId, merged[0].id) : null;
      if (followed) return { row: followed, created: false };
      const created = await this.insert(em, workspaceId, contactId, at);
      if (created) return { row: created, created: true };
    }
    throw new Error(`conversation of contact ${contactId} could not be found or created`);
  }

  /** Inserts the contact's conversation unless one is active already (then null). */
  async insert(
    em: EntityManager,
    workspaceId: string,
    contactId: string,
    lastMessageAt: Date,
    init: { status?: ConversationStatus; snoozedUntil?: Date | null; assigneeId?: string | null; labels?: string[] } = {},
  ): Promise<ConversationRow | null> {
    const now = new Date();
    const rows = await em.execute<ConversationRow[]>(
      `insert into conversations (id, workspace_id, contact_id, status, snoozed_until, assignee_id, labels, last_message_at, email_thread_token, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?)
       on conflict (workspace_id, contact_id) where merged_into_id is null do nothing
       returning ${COLUMNS}`,
      [newId(), workspaceId, contactId, init.status ?? 'open', init.snoozedUntil ?? null, init.assigneeId ?? null, JSON.stringify(init.labels ?? []), lastMessageAt, newThreadToken(), now, now],
    );
    return rows[0] ?? null;
  }

  /** Inserts an inbound message unless the channel already has this provider id (a replay): then null. */
  async insertInbound(em: EntityManager, m: NewInboundMessage): Promise<string | null> {
    const id = newId();
    const history = JSON.stringify([{ status: 'received', at: m.receivedAt.toISOString() }]);
    const rows = await em.execute<{ id: string }[]>(
      `insert into messages (id, workspace_id, conversation_id, channel_id, contact_id, sender_identifier_id, direction, type, text, subject, email, payload,
                             reply_to_message_id, status, provider_message_id, sent_at, status_history, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, 'inbound', ?, ?, ?, ?::jsonb, ?::jsonb, ?, 'received', ?, ?, ?::jsonb, ?, ?)
       on conflict (workspace_id, channel_id, provider_message_id) do nothing
       returning id`,
      [
        id, m.workspaceId, m.conversationId, m.channelId, m.contactId, m.senderIdentifierId, m.type, m.text, m.subject,
        m.email ? JSON.stringify(m.email) : null, m.payload ? JSON.stringify(m.payload) : null,
        m.replyToMessageId, m.providerMessageId, m.sentAt, history, m.receivedAt, m.receivedAt,
      ],
    );
    return rows[0]?.id ?? null;
  }

  async insertAttachments(em: EntityManager, workspaceId: string, messageId: string, files: NewAttachment[]): Promise<void> {
    const now = new Date();
    for (const f of files) {
      await em.execute(
        `insert into attachments (id, workspace_id, message_id, filename, content_type, size, sha256, storage_key, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [newId(), workspaceId, messageId, f.filename, f.contentType, f.size, f.sha256, f.key, now, now],
      );
    }
  }

  /** Records inbound traffic on a channel; true when the conversation had none on it before. */
  async touchChannel(em: EntityManager, c: { workspaceId: string; conversationId: string; channelId: string; channelType: ChannelType; receivedAt: Date | null; providerAt: Date | null }): Promise<boolean> {
    const now = new Date();
    const rows = await em.execute<{ inserted: boolean }[]>(
      `insert into conversation_channels (id, workspace_id, conversation_id, channel_id, channel_type, last_inbound_at, last_inbound_provider_at, created_at, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (workspace_id, conversation_id, channel_id) do update set
         last_inbound_at = greatest(conversation_channels.last_inbound_at, excluded.last_inbound_at),
         last_inbound_provider_at = greatest(conversation_channels.last_inbound_provider_at, excluded.last_inbound_provider_at),
         updated_at = excluded.updated_at
       returning (xmax = 0) as inserted`,
      [newId(), c.workspaceId, c.conversationId, c.channelId, c.channelType, c.receivedAt, c.providerAt, now, now],
    );
    return rows[0]?.inserted === true;
  }

  /** New activity: moves `last_message_at` forward and, when asked, reopens a resolved or snoozed conversation. */
  async touchConversation(em: EntityManager, id: string, at: Date, reopen: boolean): Promise<void> {
    await em.execute(
      `update conversations set last_message_at = greatest(last_message_at, ?), updated_at = ?
         ${reopen ? ", status = 'open', snoozed_until = null" : ''}
       where id = ?`,
      [at, at, id],
    );
  }

  /** Our id of a message the channel knows by one of these provider ids (or, for email, by its Message-ID header). */
  async messageIdByProviderIds(em: EntityManager, workspaceId: string, channelId: string, providerIds: string[], emailMessageId?: string): Promise<string | null> {
    if (!providerIds.length) return null;
    const byProvider = `provider_message_id in (${providerIds.map(() => '?').join(', ')})`;
    const where = emailMessageId ? `(${byProvider} or email->>'messageId' = ?)` : byProvider;
    const rows = await em.execute<{ id: string }[]>(
      `select id from messages where workspace_id = ? and channel_id = ? and ${where} order by id limit 1`,
      [workspaceId, channelId, ...providerIds, ...(emailMessageId ? [emailMessageId] : [])],
    );
    return rows[0]?.id ?? null;
  }
}
