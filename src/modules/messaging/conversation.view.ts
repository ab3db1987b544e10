import { whatsappWindow } from '../compliance';
import { maskIdentifier, RequestCtx } from '../../common/authz';
import { ConversationChannel } from './entities/conversation-channel.entity';
import { Conversation } from './entities/conversation.entity';

/** The parts of identity's contact a conversation shows. */
export interface ContactRecord {
  id: string;
  name: string | null;
  identifiers: { id: string; kind: string; value: string; verified: boolean; source: string }[];
}

export interface ConversationContactView {
  id: string;
  name: string | null;
  identifiers: { id: string; kind: string; value: string; verified: boolean; source: string }[];
}

export interface ConversationChannelView {
  channelId: string;
  type: string;
  lastInboundAt: Date | null;
  /** WhatsApp only: whether free-form messages may be sent, and until when. */
  whatsappWindow?: { open: boolean; expiresAt: Date | null };
}

interface ConversationFields {
  id: string;
  contactId: string;
  status: string;
  snoozedUntil: Date | null;
  assigneeId: string | null;
  labels: string[];
  lastMessageAt: Date;
  channels: ConversationChannelView[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ConversationView extends ConversationFields {
  contact: ConversationContactView | null;
}

/** A list row: the contact's name only. */
export interface ConversationSummaryView extends ConversationFields {
  contact: { id: string; name: string | null };
}

/** Emails and phone numbers are masked for callers without `read ContactPii`. */
export function toContactView(ctx: RequestCtx, contact: ContactRecord): ConversationContactView {
  return {
    id: contact.id,
    name: contact.name,
    identifiers: contact.identifiers.map((i) => ({ id: i.id, kind: i.kind, value: maskIdentifier(ctx, i.kind, i.value), verified: i.verified, source: i.source })),
  };
}

export const toChannelView = (c: ConversationChannel, now = new Date()): ConversationChannelView => ({
  channelId: c.channelId,
  type: c.channelType,
  lastInboundAt: c.lastInboundAt ?? null,
  ...(c.channelType === 'whatsapp' ? { whatsappWindow: whatsappWindow(c.lastInboundProviderAt, c.windowClosedAt, now) } : {}),
});

const fields = (c: Conversation, channels: ConversationChannel[]): ConversationFields => ({
  id: c.id,
  contactId: c.contactId,
  status: c.status,
  snoozedUntil: c.snoozedUntil ?? null,
  assigneeId: c.assigneeId ?? null,
  labels: c.labels,
  lastMessageAt: c.lastMessageAt,
  channels: channels.map((ch) => toChannelView(ch)),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
});

export const toConversationView = (ctx: RequestCtx, c: Conversation, contact: ContactRecord | null, channels: ConversationChannel[]): ConversationView => ({
  ...fields(c, channels),
  contact: contact ? toContactView(ctx, contact) : null,
});

export const toConversationSummaryView = (c: Conversation, contactName: string | null, channels: ConversationChannel[]): ConversationSummaryView => ({
  ...fields(c, channels),
  contact: { id: c.contactId, name: contactName },
});
