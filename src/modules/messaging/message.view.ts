import { maskPiiDeep, RequestCtx } from '../../common/authz';
import type { Actor } from '../../common/authz';
import { Attachment } from './entities/attachment.entity';
import type { MessageAttempt } from './entities/message-attempt.entity';
import { Message, MessageEmail, MessageError, MessagePayload, MessageReaction, MessageRevision, MessageTemplate, StatusChange } from './entities/message.entity';

export interface AttachmentView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
}

export interface MessageView extends Pick<MessagePayload, 'location' | 'contacts' | 'interactive' | 'raw' | 'mediaUnavailable'> {
  id: string;
  conversationId: string;
  channelId: string | null;
  contactId: string;
  direction: string;
  type: string;
  text: string | null;
  subject: string | null;
  email?: MessageEmail;
  attachments: AttachmentView[];
  replyToMessageId: string | null;
  reactions: MessageReaction[];
  editedAt: Date | null;
  revisions: MessageRevision[];
  status: string;
  providerMessageId: string | null;
  /** Outbound: why delivery failed. */
  error?: MessageError;
  /** Outbound: the WhatsApp template asked for. */
  template?: MessageTemplate;
  statusHistory: StatusChange[];
  /** Outbound provider calls, oldest first. */
  attempts: AttemptView[];
  aiAssisted: boolean;
  /** AI-assisted outbound: the draft it sends and who approved it. */
  aiArtifactId?: string;
  approvedBy?: Actor;
  /** The provider's timestamp. */
  sentAt: Date | null;
  /** Who wrote a note or sent an outbound message. */
  author: Actor | null;
  createdAt: Date;
}

export interface AttemptView {
  at: string;
  outcome: string;
  errorCode?: string;
}

export const toAttemptView = (a: MessageAttempt): AttemptView => ({ at: a.startedAt.toISOString(), outcome: a.outcome, ...(a.errorCode ? { errorCode: a.errorCode } : {}) });

export const toAttachmentView = (a: Attachment): AttachmentView => ({ id: a.id, filename: a.filename, contentType: a.contentType, size: a.size });

/**
 * Shared contact cards and raw unsupported parts carry third parties' phone numbers and e-mail
 * addresses, so they get the same masking as contact identifiers.
 */
export function toMessageView(ctx: RequestCtx, m: Message, attachments: Attachment[], attempts: MessageAttempt[] = []): MessageView {
  const { location, contacts, interactive, raw, mediaUnavailable } = m.payload ?? {};
  const hidden = maskPiiDeep(ctx, { contacts, raw });
  return {
    id: m.id,
    conversationId: m.conversationId,
    channelId: m.channelId ?? null,
    contactId: m.contactId,
    direction: m.direction,
    type: m.type,
    text: m.text ?? null,
    subject: m.subject ?? null,
    ...(m.email ? { email: m.email } : {}),
    ...(location ? { location } : {}),
    ...(hidden.contacts ? { contacts: hidden.contacts } : {}),
    ...(interactive ? { interactive } : {}),
    ...(hidden.raw !== undefined ? { raw: hidden.raw } : {}),
    ...(mediaUnavailable ? { mediaUnavailable } : {}),
    attachments: attachments.map(toAttachmentView),
    replyToMessageId: m.replyToMessageId ?? null,
    reactions: m.reactions,
    editedAt: m.editedAt ?? null,
    revisions: m.revisions,
    status: m.status,
    providerMessageId: m.providerMessageId ?? null,
    ...(m.error ? { error: m.error } : {}),
    ...(m.template ? { template: m.template } : {}),
    statusHistory: m.statusHistory,
    attempts: attempts.map(toAttemptView),
    aiAssisted: m.aiAssisted,
    ...(m.aiArtifactId ? { aiArtifactId: m.aiArtifactId } : {}),
    ...(m.approvedByType && m.approvedById ? { approvedBy: { type: m.approvedByType, id: m.approvedById } } : {}),
    sentAt: m.sentAt ?? null,
    author: m.authorType && m.authorId ? { type: m.authorType, id: m.authorId } : null,
    createdAt: m.createdAt,
  };
}
