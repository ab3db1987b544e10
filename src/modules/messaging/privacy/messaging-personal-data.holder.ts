import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSubject, PersonalDataRegistry } from '../../../common/privacy';
import { AppConfig } from '../../../config';
import { countAffected } from '../../../infrastructure/database';
import { FileStorage, InjectFileStorage } from '../../../infrastructure/storage';

/** The person's conversations: their own, and those merged into it (from contacts merged into theirs). */
const CONVERSATIONS = `(with recursive conv as (
    select id from conversations where workspace_id = ? and contact_id = ?
    union select c.id from conversations c join conv on c.merged_into_id = conv.id where c.workspace_id = ?
  ) select id from conv)`;

/** Their messages; with a channel type, only those sent or received on that type's channels. */
function messagesOf(s: DataSubject): { sql: string; params: unknown[] } {
  const base = `select id from messages where workspace_id = ? and (contact_id = ? or conversation_id in ${CONVERSATIONS})`;
  if (!s.channelType) return { sql: base, params: [s.workspaceId, s.contactId, ...CONV_PARAMS(s)] };
  return {
    sql: `${base} and channel_id in (select channel_id from conversation_channels where workspace_id = ? and channel_type = ?)`,
    params: [s.workspaceId, s.contactId, ...CONV_PARAMS(s), s.workspaceId, s.channelType],
  };
}

/** The positional parameters of CONVERSATIONS. */
const CONV_PARAMS = (s: DataSubject) => [s.workspaceId, s.contactId, s.workspaceId];

/**
 * Messaging's part of a privacy request: conversations, messages (their search vectors are columns
 * of the rows), delivery attempts, attachments and the files behind them. Runs before identity,
 * whose contact the conversations point at.
 */
@Injectable()
export class MessagingPersonalDataHolder implements OnModuleInit {
  readonly name = 'messaging';
  readonly erasureOrder = 20;

  constructor(
    private readonly registry: PersonalDataRegistry,
    private readonly config: AppConfig,
    @InjectFileStorage() private readonly storage: FileStorage,
  ) {}

  onModuleInit() {
    this.registry.register(this);
  }

  async collect(em: EntityManager, s: DataSubject) {
    const conversations = await em.execute(
      `select id, status, assignee_id, labels, last_message_at, merged_into_id, created_at from conversations where workspace_id = ? and id in ${CONVERSATIONS} order by id`,
      [s.workspaceId, ...CONV_PARAMS(s)],
    );
    const m = messagesOf(s);
    const messages = await em.execute<Record<string, unknown>[]>(
      `select id, conversation_id, channel_id, direction, type, text, subject, email, payload, reply_to_message_id, reactions, edited_at, revisions, status,
        provider_message_id, sent_at, status_history, ai_assisted, author_type, author_id, error, template, recipient, created_at
        from messages where id in (${m.sql}) order by id`,
      m.params,
    );
    const attachments = await em.execute<{ id: string; message_id: string }[]>(
      `select id, message_id, filename, content_type, size, sha256, created_at from attachments where workspace_id = ? and message_id in (${m.sql}) order by id`,
      [s.workspaceId, ...m.params],
    );
    const base = `${this.config.env.PUBLIC_URL.replace(/\/$/, '')}/v1/workspaces/${s.workspaceId}/attachments`;
    const byMessage = new Map<string, unknown[]>();
    for (const a of attachments) byMessage.set(a.message_id, [...(byMessage.get(a.message_id) ?? []), { ...a, downloadUrl: `${base}/${a.id}` }]);
    return { conversations, messages: messages.map((row) => ({ ...row, attachments: byMessage.get(row.id as string) ?? [] })) };
  }

  async erase(em: EntityManager, s: DataSubject): Promise<number> {
    const m = messagesOf(s);
    const files = await em.execute<{ storage_key: string }[]>(
      `select distinct storage_key from attachments where workspace_id = ? and message_id in (${m.sql})`,
      [s.workspaceId, ...m.params],
    );
    const ids = (await em.execute<{ id: string }[]>(m.sql, m.params)).map((r) => r.id);
    const list = JSON.stringify(ids);
    const IN = 'in (select jsonb_array_elements_text(?::jsonb)::uuid)';
    let n = 0;
    // Other people's messages quoting one of these stop pointing at it.
    await em.execute(`update messages set reply_to_message_id = null where workspace_id = ? and reply_to_message_id ${IN}`, [s.workspaceId, list]);
    n += await countAffected(em, `delete from conversation_merge_moves where workspace_id = ? and message_id ${IN}`, [s.workspaceId, list]);
    n += await countAffected(em, `delete from attachments where workspace_id = ? and message_id ${IN}`, [s.workspaceId, list]);
    n += await countAffected(em, `delete from message_attempts where workspace_id = ? and message_id ${IN}`, [s.workspaceId, list]);
    n += await countAffected(em, `delete from messages where workspace_id = ? and id ${IN}`, [s.workspaceId, list]);
    if (s.channelType) {
      n += await countAffected(
        em,
        `delete from conversation_channels where workspace_id = ? and channel_type = ? and conversation_id in ${CONVERSATIONS}`,
        [s.workspaceId, s.channelType, ...CONV_PARAMS(s)],
      );
    } else {
      const convs = (await em.execute<{ id: string }[]>(`select id from conversations where workspace_id = ? and id in ${CONVERSATIONS}`, [s.workspaceId, ...CONV_PARAMS(s)])).map((r) => r.id);
      const convList = JSON.stringify(convs);
      n += await countAffected(em, `delete from conversation_merges where workspace_id = ? and (source_conversation_id ${IN} or target_conversation_id ${IN})`, [s.workspaceId, convList, convList]);
      n += await countAffected(em, `delete from conversation_channels where workspace_id = ? and conversation_id ${IN}`, [s.workspaceId, convList]);
      n += await countAffected(em, `delete from conversations where workspace_id = ? and id ${IN}`, [s.workspaceId, convList]);
    }
    // Inbound media are stored by content hash, so a file another message still uses stays.
    for (const { storage_key } of files) {
      const [used] = await em.execute('select 1 from attachments where workspace_id = ? and storage_key = ? limit 1', [s.workspaceId, storage_key]);
      if (!used) await this.storage.delete(storage_key);
    }
    return n;
  }
}
