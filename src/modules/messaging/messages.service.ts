import { subject as asSubject } from '@casl/ability';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, StreamableFile } from '@nestjs/common';
import { assertCan, RequestCtx } from '../../common/authz';
import { decodeIdCursor, PageQuery, Page, toPage } from '../../common/pagination';
import { FileStorage, InjectFileStorage } from '../../infrastructure/storage';
import { ConversationsService } from './conversations.service';
import { Attachment } from './entities/attachment.entity';
import { MessageAttempt } from './entities/message-attempt.entity';
import { Message } from './entities/message.entity';
import { attachmentNotFound, messageNotFound } from './messaging.errors';
import { MessageView, toMessageView } from './message.view';

/** RFC 5987 `filename*` so any name survives the header; the plain `filename` is an ASCII fallback. */
const contentDisposition = (filename: string) => {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
};

@Injectable()
export class MessagesService {
  constructor(
    private readonly em: EntityManager,
    private readonly conversations: ConversationsService,
    @InjectFileStorage() private readonly storage: FileStorage,
  ) {}

  /** Oldest first, keyset on the time-ordered id: messages arriving meanwhile only ever append. */
  async listOfConversation(ctx: RequestCtx, conversationId: string, q: PageQuery): Promise<Page<MessageView>> {
    const conversation = await this.conversations.load(ctx, conversationId, 'read');
    const afterId = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      Message,
      { workspaceId: ctx.workspaceId, conversationId: conversation.id, ...(afterId ? { id: { $gt: afterId } } : {}) },
      { orderBy: { id: 'asc' }, limit: q.limit + 1 },
    );
    const page = toPage(rows, q.limit, (m) => ({ id: m.id }), (m) => m);
    const visible = page.data.filter((m) => ctx.ability.can('read', asSubject('Message', { ...m }) as never));
    const attachments = await this.attachmentsOf(ctx, visible.map((m) => m.id));
    const attempts = await this.attemptsOf(ctx, visible.filter((m) => m.direction === 'outbound').map((m) => m.id));
    return { data: visible.map((m) => toMessageView(ctx, m, attachments.get(m.id) ?? [], attempts.get(m.id) ?? [])), nextCursor: page.nextCursor };
  }

  /**
   * The latest messages exchanged with the contact, newest first: what an AI prompt may be built
   * from. Internal notes are left out here, so no caller can pass them to a model by mistake.
   */
  async latestExchanged(ctx: RequestCtx, conversationId: string, limit: number): Promise<MessageView[]> {
    const conversation = await this.conversations.load(ctx, conversationId, 'read');
    const rows = await this.em.find(
      Message,
      { workspaceId: ctx.workspaceId, conversationId: conversation.id, direction: { $in: ['inbound', 'outbound'] } },
      { orderBy: { id: 'desc' }, limit },
    );
    return rows.filter((m) => ctx.ability.can('read', asSubject('Message', { ...m }) as never)).map((m) => toMessageView(ctx, m, []));
  }

  async get(ctx: RequestCtx, id: string): Promise<MessageView> {
    const message = await this.load(ctx, id);
    const attachments = await this.attachmentsOf(ctx, [message.id]);
    const attempts = message.direction === 'outbound' ? await this.attemptsOf(ctx, [message.id]) : new Map<string, MessageAttempt[]>();
    return toMessageView(ctx, message, attachments.get(message.id) ?? [], attempts.get(message.id) ?? []);
  }

  /** The stored file with its content type, as a download (never rendered inline on our origin). */
  async attachment(ctx: RequestCtx, id: string): Promise<StreamableFile> {
    const attachment = await this.em.findOne(Attachment, { id, workspaceId: ctx.workspaceId });
    if (!attachment) throw attachmentNotFound();
    await this.load(ctx, attachment.messageId);
    const file = await this.storage.getStream(attachment.storageKey);
    return new StreamableFile(file.stream, { type: attachment.contentType, length: file.size, disposition: contentDisposition(attachment.filename) });
  }

  private async load(ctx: RequestCtx, id: string): Promise<Message> {
    const message = await this.em.findOne(Message, { id, workspaceId: ctx.workspaceId });
    if (!message) throw messageNotFound();
    assertCan(ctx, 'read', 'Message', message);
    return message;
  }

  private async attemptsOf(ctx: RequestCtx, messageIds: string[]): Promise<Map<string, MessageAttempt[]>> {
    const byMessage = new Map<string, MessageAttempt[]>();
    if (!messageIds.length) return byMessage;
    const rows = await this.em.find(MessageAttempt, { workspaceId: ctx.workspaceId, messageId: { $in: messageIds } }, { orderBy: { startedAt: 'asc', id: 'asc' } });
    for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row]);
    return byMessage;
  }

  private async attachmentsOf(ctx: RequestCtx, messageIds: string[]): Promise<Map<string, Attachment[]>> {
    const byMessage = new Map<string, Attachment[]>();
    if (!messageIds.length) return byMessage;
    const rows = await this.em.find(Attachment, { workspaceId: ctx.workspaceId, messageId: { $in: messageIds } }, { orderBy: { id: 'asc' } });
    for (const row of rows) byMessage.set(row.messageId, [...(byMessage.get(row.messageId) ?? []), row]);
    return byMessage;
  }
}
