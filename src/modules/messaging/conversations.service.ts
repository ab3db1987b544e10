import { subject as asSubject } from '@casl/ability';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { assertCan, isUuid, RequestCtx } from '../../common/authz';
import { FieldError, ValidationFailedError } from '../../common/errors';
import { DomainEventsSubscriber } from '../../common/events';
import { decodeCursor, Page, toPage } from '../../common/pagination';
import { IdentityService } from '../identity';
import { nextSnoozeState, normalizeLabels } from './conversation-rules';
import { ConversationSummaryView, ConversationView, toConversationSummaryView, toConversationView } from './conversation.view';
import { ConversationQuery } from './dto/conversation-query.dto';
import { CreateNoteDto } from './dto/create-note.dto';
import { UpdateConversationDto } from './dto/update-conversation.dto';
import { ConversationChannel } from './entities/conversation-channel.entity';
import { Conversation } from './entities/conversation.entity';
import { Message } from './entities/message.entity';
import { conversationNotFound, invalidConversationUpdate, NOT_A_MEMBER } from './messaging.errors';
import { MessageView, toMessageView } from './message.view';

type ConversationCursor = { at: string; id: string };

/**
 * The cursor keeps the database's microseconds: a JS Date would round them to milliseconds, and a
 * rounded key would skip the rows between it and the row it came from.
 */
const ACTIVITY_KEY_SQL = `to_char(c.last_message_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const ACTIVITY_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

const malformedCursor = () => new ValidationFailedError([{ field: 'cursor', message: 'malformed cursor' }]);

@Injectable()
export class ConversationsService {
  constructor(
    private readonly em: EntityManager,
    private readonly identity: IdentityService,
    private readonly events: DomainEventsSubscriber,
  ) {}

  /**
   * Newest activity first, keyset-paginated on (lastMessageAt, id) — a strict order, so a walk never
   * repeats a conversation. One bumped by new activity mid-walk moves above the cursor: a walk
   * already past it does not list it again, one not yet there meets it at the top of the next walk.
   * Merged-away conversations are not listed.
   */
  async list(ctx: RequestCtx, q: ConversationQuery): Promise<Page<ConversationSummaryView>> {
    const after = decodeCursor<ConversationCursor>(q.cursor, ['at', 'id']);
    if (after && (!isUuid(after.id) || !ACTIVITY_KEY.test(after.at) || Number.isNaN(Date.parse(after.at)))) throw malformedCursor();
    const where = ['c.workspace_id = ?', 'c.merged_into_id is null'];
    const params: unknown[] = [ctx.workspaceId];
    const filter = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (q.status) filter('c.status = ?', q.status);
    if (q.assigneeId) filter('c.assignee_id = ?', q.assigneeId);
    if (q.contactId) filter('c.contact_id = ?', q.contactId);
    if (q.label) filter('c.labels @> array[?]::text[]', q.label);
    if (q.channelId) filter('exists (select 1 from conversation_channels cc where cc.workspace_id = c.workspace_id and cc.conversation_id = c.id and cc.channel_id = ?)', q.channelId);
    if (after) {
      where.push('(c.last_message_at, c.id) < (?::timestamptz, ?)');
      params.push(after.at, after.id);
    }
    // The contact's name comes along from identity's table: one query per page instead of one per row.
    const rows = await this.em.execute<(Record<string, unknown> & { contact_name: string | null; activity_key: string })[]>(
      `select c.*, ct.name as contact_name, ${ACTIVITY_KEY_SQL} as activity_key from conversations c
       left join contacts ct on ct.workspace_id = c.workspace_id and ct.id = c.contact_id
       where ${where.join(' and ')} order by c.last_message_at desc, c.id desc limit ?`,
      [...params, q.limit + 1],
    );
    const listed = rows.map(({ contact_name, activity_key, ...row }) => ({ conversation: this.em.map(Conversation, row), contactName: contact_name, activityKey: activity_key }));
    const page = toPage(listed, q.limit, ({ conversation: c, activityKey }) => ({ at: activityKey, id: c.id }), (r) => r);
    // Record-level rules (e.g. "only conversations assigned to me") narrow the page; the cursor still advances.
    const visible = page.data.filter(({ conversation: c }) => ctx.ability.can('read', asSubject('Conversation', { ...c }) as never));
    const channels = await this.channelsOf(ctx, visible.map(({ conversation: c }) => c.id));
    return {
      data: visible.map(({ conversation: c, contactName }) => toConversationSummaryView(c, contactName, channels.get(c.id) ?? [])),
      nextCursor: page.nextCursor,
    };
  }

  async get(ctx: RequestCtx, id: string): Promise<ConversationView> {
    const conversation = await this.load(ctx, id, 'read');
    return this.view(ctx, conversation);
  }

  async update(ctx: RequestCtx, id: string, dto: UpdateConversationDto): Promise<ConversationView> {
    const conversation = await this.load(ctx, id, 'update');
    const errors: FieldError[] = [];
    const snooze = nextSnoozeState(conversation, dto, new Date());
    if ('errors' in snooze) errors.push(...snooze.errors);
    if (dto.assigneeId && !(await this.isActiveMember(ctx.workspaceId, dto.assigneeId))) errors.push(NOT_A_MEMBER);
    if (errors.length) throw invalidConversationUpdate(errors);

    const changes: string[] = [];
    const set = <K extends 'status' | 'snoozedUntil' | 'assigneeId' | 'labels'>(field: K, value: Conversation[K]) => {
      if (JSON.stringify(conversation[field] ?? null) === JSON.stringify(value ?? null)) return;
      conversation[field] = value;
      changes.push(field);
    };
    if (!('errors' in snooze)) {
      set('status', snooze.status);
      set('snoozedUntil', snooze.snoozedUntil);
    }
    if (dto.assigneeId !== undefined) set('assigneeId', dto.assigneeId);
    if (dto.labels) set('labels', normalizeLabels(dto.labels));
    if (changes.length) {
      await this.em.flush();
      this.events.emitAfterCommit(this.em, 'conversation.updated', { workspaceId: ctx.workspaceId, conversationId: conversation.id, changes });
    }
    return this.view(ctx, conversation);
  }

  /** An internal note: visible to the team in the conversation, never sent to the contact. */
  async addNote(ctx: RequestCtx, id: string, dto: CreateNoteDto): Promise<MessageView> {
    const conversation = await this.load(ctx, id, 'read');
    const note = this.em.create(Message, {
      workspaceId: ctx.workspaceId,
      conversationId: conversation.id,
      channelId: null,
      contactId: conversation.contactId,
      direction: 'internal',
      type: 'note',
      text: dto.text,
      status: 'internal',
      authorType: ctx.actor.type,
      authorId: ctx.actor.id,
    });
    assertCan(ctx, 'create', 'Message', note);
    await this.em.flush();
    return toMessageView(ctx, note, []);
  }

  /**
   * Loads a conversation the caller may act on. A merged-away one answers 404 naming the one it
   * lives on in; the route checked the permission in general, this checks it on the record.
   */
  async load(ctx: RequestCtx, id: string, action: 'read' | 'update'): Promise<Conversation> {
    const conversation = await this.em.findOne(Conversation, { id, workspaceId: ctx.workspaceId });
    if (!conversation) throw conversationNotFound();
    if (conversation.mergedIntoId) throw conversationNotFound(await this.survivorOf(ctx, conversation));
    assertCan(ctx, action, 'Conversation', conversation);
    return conversation;
  }

  private async view(ctx: RequestCtx, conversation: Conversation): Promise<ConversationView> {
    const channels = await this.channelsOf(ctx, [conversation.id]);
    const contact = await this.identity.getContact(ctx.workspaceId, conversation.contactId);
    return toConversationView(ctx, conversation, contact, channels.get(conversation.id) ?? []);
  }

  private async survivorOf(ctx: RequestCtx, conversation: Conversation): Promise<string> {
    let current = conversation;
    for (let hop = 0; current.mergedIntoId && hop < 10; hop++) {
      const next = await this.em.findOne(Conversation, { id: current.mergedIntoId, workspaceId: ctx.workspaceId });
      if (!next) break;
      current = next;
    }
    return current.id;
  }

  private async channelsOf(ctx: RequestCtx, conversationIds: string[]): Promise<Map<string, ConversationChannel[]>> {
    const byConversation = new Map<string, ConversationChannel[]>();
    if (!conversationIds.length) return byConversation;
    const rows = await this.em.find(ConversationChannel, { workspaceId: ctx.workspaceId, conversationId: { $in: conversationIds } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    for (const row of rows) byConversation.set(row.conversationId, [...(byConversation.get(row.conversationId) ?? []), row]);
    return byConversation;
  }

  private async isActiveMember(workspaceId: string, userId: string): Promise<boolean> {
    const rows = await this.em.execute("select 1 from memberships where workspace_id = ? and user_id = ? and status = 'active' limit 1", [workspaceId, userId]);
    return rows.length > 0;
  }
}
