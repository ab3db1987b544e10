import { asNumber, asRecords, asString, compact, getCI, parseDate } from '../adapter-utils';
import {
  emptyParse,
  type EmailFields,
  type MediaRef,
  type NormalizedInboundMessage,
  type ParsedWebhook,
} from '../normalized';

/** Strips the angle brackets of an RFC 5322 msg-id: `<abc@host>` → `abc@host`. */
export const stripAngleBrackets = (value: string): string => value.trim().replace(/^<|>$/g, '');

/** Value of a header in Postmark's `Headers: [{Name, Value}]`; names are case-insensitive. */
function headerFromList(payload: unknown, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = asRecords(getCI(payload, 'Headers')).find(
    (h) => asString(getCI(h, 'Name'))?.toLowerCase() === wanted,
  );
  return asString(getCI(found, 'Value'));
}

function parseReferences(value: string | undefined): string[] | undefined {
  if (!value) return undefined;
  const ids = value.split(/\s+/).filter(Boolean).map(stripAngleBrackets).filter(Boolean);
  return ids.length ? ids : undefined;
}

/** Top-level MailboxHash, else the first recipient that carries one (plus addressing survives lost threading headers). */
function mailboxHash(payload: unknown): string | undefined {
  const topLevel = asString(getCI(payload, 'MailboxHash'));
  if (topLevel) return topLevel;
  for (const recipient of asRecords(getCI(payload, 'ToFull'))) {
    const hash = asString(getCI(recipient, 'MailboxHash'));
    if (hash) return hash;
  }
  return undefined;
}

function attachments(payload: unknown): MediaRef[] | undefined {
  const media = asRecords(getCI(payload, 'Attachments')).map((a) =>
    compact<MediaRef>({
      filename: asString(getCI(a, 'Name')),
      contentType: asString(getCI(a, 'ContentType')),
      size: asNumber(getCI(a, 'ContentLength')),
      contentBase64: asString(getCI(a, 'Content')),
      contentId: asString(getCI(a, 'ContentID')),
    }),
  );
  return media.length ? media : undefined;
}

function sender(payload: unknown): NormalizedInboundMessage['from'] | undefined {
  const fromFull = getCI(payload, 'FromFull');
  const address = asString(getCI(fromFull, 'Email')) ?? asString(getCI(payload, 'From'));
  if (!address) return undefined;
  const displayName = asString(getCI(payload, 'FromName')) ?? asString(getCI(fromFull, 'Name'));
  return compact({ kind: 'email' as const, value: address.trim().toLowerCase(), displayName });
}

/** Postmark inbound webhook → one email message. `MessageID` is Postmark's UUID, not the RFC Message-ID. */
export function parsePostmarkInbound(payload: unknown): ParsedWebhook {
  const providerMessageId = asString(getCI(payload, 'MessageID'));
  if (!providerMessageId) return emptyParse('postmark inbound: missing MessageID');
  const from = sender(payload);
  if (!from) return emptyParse('postmark inbound: missing sender address');

  const messageIdHeader = headerFromList(payload, 'Message-ID');
  const inReplyToHeader = headerFromList(payload, 'In-Reply-To');
  const inReplyTo = inReplyToHeader ? stripAngleBrackets(inReplyToHeader) || undefined : undefined;
  const textBody = asString(getCI(payload, 'TextBody'));

  const email = compact<EmailFields>({
    subject: asString(getCI(payload, 'Subject')),
    textBody,
    htmlBody: asString(getCI(payload, 'HtmlBody')),
    messageId: messageIdHeader ? stripAngleBrackets(messageIdHeader) || undefined : undefined,
    inReplyTo,
    references: parseReferences(headerFromList(payload, 'References')),
    mailboxHash: mailboxHash(payload),
    to: asString(getCI(payload, 'To')),
  });

  const message = compact<NormalizedInboundMessage>({
    providerMessageId,
    // The Date header comes verbatim from the sending server; garbage falls back to receive time.
    sentAt: parseDate(getCI(payload, 'Date')) ?? new Date(),
    from,
    type: 'email',
    text: asString(getCI(payload, 'StrippedTextReply')) ?? textBody,
    email,
    media: attachments(payload),
    replyToProviderMessageId: inReplyTo,
    raw: payload,
  });
  return { ...emptyParse(), messages: [message] };
}
