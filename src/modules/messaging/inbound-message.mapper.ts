import type { InboundEvent, MediaRef, NormalizedInboundMessage, StoredMedia } from '../channels';
import type { MessageEmail, MessagePayload } from './entities/message.entity';

/** The same key the channels' media download uses (MediaService.refKey) to index `event.media`. */
export const mediaRefKey = (ref: MediaRef): string => ref.providerFileId ?? ref.contentId ?? ref.filename ?? 'inline';

export interface InboundMessageContent {
  type: NormalizedInboundMessage['type'];
  text: string | null;
  subject: string | null;
  email: MessageEmail | null;
  payload: MessagePayload | null;
  attachments: StoredMedia[];
}

const definedOnly = <T extends object>(o: T): T | null => {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length ? (Object.fromEntries(entries) as T) : null;
};

/** What a normalized inbound message stores: text, email headers, type-specific payload and downloaded files. */
export function inboundContent(m: NormalizedInboundMessage, media: InboundEvent['media']): InboundMessageContent {
  const refs = m.media ?? [];
  const attachments = refs.flatMap((ref) => {
    const stored = media.get(mediaRefKey(ref));
    return stored ? [{ ...stored, filename: ref.filename ?? stored.filename }] : [];
  });
  const missing = refs.filter((ref) => !media.has(mediaRefKey(ref))).map((ref) => definedOnly({ filename: ref.filename, contentType: ref.contentType }) ?? {});
  const email = m.email
    ? definedOnly<MessageEmail>({
        textBody: m.email.textBody,
        htmlBody: m.email.htmlBody,
        messageId: m.email.messageId,
        inReplyTo: m.email.inReplyTo,
        references: m.email.references,
      })
    : null;
  return {
    type: m.type,
    text: m.text ?? null,
    subject: m.email?.subject ?? null,
    email: m.type === 'email' ? (email ?? {}) : email,
    payload: definedOnly<MessagePayload>({
      location: m.location,
      contacts: m.contacts,
      interactive: m.interactive,
      // Kept so nothing the customer sent is lost, even in a shape we cannot show yet.
      raw: m.type === 'unsupported' ? m.raw : undefined,
      mediaUnavailable: missing.length ? missing : undefined,
    }),
    attachments,
  };
}

/** A Telegram contact card the sender shared about themselves: proof that the phone is theirs. */
export function ownContactCard(m: NormalizedInboundMessage): { phone?: string; userId: string } | undefined {
  const card = m.type === 'contact' && m.from.kind === 'telegram' ? m.contacts?.[0] : undefined;
  if (!card?.userId || card.userId !== m.from.value) return undefined;
  return { userId: card.userId, ...(card.phone ? { phone: card.phone } : {}) };
}

/**
 * Provider ids a quoted message may be stored under. Email quotes the RFC Message-ID, which for
 * mail we sent through Postmark is `<postmark-id@mtasv.net>` while we keep Postmark's id.
 */
export function quotedProviderIds(m: NormalizedInboundMessage): string[] {
  const id = m.replyToProviderMessageId;
  if (!id) return [];
  const postmark = /^([^@]+)@mtasv\.net$/i.exec(id)?.[1];
  return postmark ? [id, postmark] : [id];
}
