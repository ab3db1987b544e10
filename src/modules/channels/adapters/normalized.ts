/** Provider-neutral shapes the adapters produce and consume. */
export const CHANNEL_TYPES = ['email', 'whatsapp', 'telegram'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Postmark has two webhook URLs; the others have one. */
export type WebhookKind = 'inbound' | 'events' | 'default';

export interface WebhookRequest {
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  kind: WebhookKind;
}

/** Decrypted channel configuration and secrets, as the adapters need them. */
export interface ChannelCredentials {
  channelId: string;
  /** Base URL of the provider API (POSTMARK_API_URL, WHATSAPP_API_URL, TELEGRAM_API_URL). */
  apiUrl: string;
  // email (Postmark)
  serverToken?: string;
  fromAddress?: string;
  inboundAddress?: string;
  messageStream?: string;
  basicUser?: string;
  basicPassword?: string;
  // whatsapp
  phoneNumberId?: string;
  businessAccountId?: string;
  accessToken?: string;
  appSecret?: string;
  // telegram
  botToken?: string;
  webhookSecret?: string;
}

export type DedupeKey = string;

export type InboundMessageType =
  | 'text'
  | 'image'
  | 'audio'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'interactive_reply'
  | 'email'
  | 'unsupported';

export type IdentifierKind = 'email' | 'phone' | 'whatsapp' | 'telegram';

export interface SenderIdentity {
  kind: IdentifierKind;
  value: string;
  displayName?: string;
  /** WhatsApp: the phone digits when the wa_id is a phone number. */
  phone?: string;
}

export interface MediaRef {
  /** WhatsApp media id / Telegram file_id; absent for Postmark inline content. */
  providerFileId?: string;
  filename?: string;
  contentType?: string;
  size?: number;
  sha256?: string;
  /** Postmark: base64 content delivered inline. */
  contentBase64?: string;
  contentId?: string;
}

export interface DownloadedMedia {
  data: Buffer;
  contentType: string;
  filename?: string;
}

export interface EmailFields {
  subject?: string;
  textBody?: string;
  htmlBody?: string;
  /** RFC Message-ID header (angle brackets stripped). */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Plus-address token from our Reply-To (Postmark MailboxHash). */
  mailboxHash?: string;
  to?: string;
}

export interface NormalizedInboundMessage {
  /** Provider's message id, unique per channel (Telegram: `${chatId}:${messageId}`). */
  providerMessageId: string;
  /** Provider's timestamp of the message (not our receive time). */
  sentAt: Date;
  from: SenderIdentity;
  type: InboundMessageType;
  text?: string;
  email?: EmailFields;
  media?: MediaRef[];
  location?: { latitude: number; longitude: number; name?: string; address?: string };
  /** Shared contact card(s). `userId` is Telegram's contact.user_id when present. */
  contacts?: { name?: string; phone?: string; userId?: string; waId?: string }[];
  interactive?: { id?: string; title?: string; payload?: string };
  /** Provider id of the quoted message (WhatsApp context.id, Telegram reply_to_message, email In-Reply-To). */
  replyToProviderMessageId?: string;
  /** The raw provider part for `unsupported` (and kept for every type). */
  raw: unknown;
  /** Telegram chat id to answer to (may differ from the user id in groups). */
  chatId?: string;
}

export interface NormalizedReaction {
  providerMessageId: string;
  targetProviderMessageId: string;
  emoji: string;
  from: SenderIdentity;
  at: Date;
}

export interface NormalizedEdit {
  providerMessageId: string;
  text: string;
  editedAt: Date;
  from: SenderIdentity;
}

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'failed';

export interface NormalizedStatusUpdate {
  providerMessageId: string;
  status: DeliveryStatus;
  at: Date;
  recipient?: string;
  error?: { code: string; message: string };
  /** Postmark hard bounce: the address should be marked undeliverable. */
  recipientUndeliverable?: boolean;
  /** A spam complaint: the message fails even though it was delivered (a complaint always follows delivery). */
  complaint?: boolean;
  /** Our message id echoed through provider metadata when present. */
  ourMessageId?: string;
}

export interface ConsentSignal {
  identifier: { kind: IdentifierKind; value: string };
  status: 'opted_in' | 'opted_out';
  reason: string;
  at: Date;
  evidence: Record<string, unknown>;
}

export interface ParsedWebhook {
  messages: NormalizedInboundMessage[];
  reactions: NormalizedReaction[];
  edits: NormalizedEdit[];
  statuses: NormalizedStatusUpdate[];
  consents: ConsentSignal[];
  /** Set when the payload had nothing we understand; the ledger row becomes `ignored`. */
  ignoredReason?: string;
}

export interface OutboundAttachment {
  filename: string;
  contentType: string;
  data: Buffer;
}

export interface OutboundTemplate {
  name: string;
  language: string;
  parameters?: { header?: string[]; body?: string[]; buttons?: string[] };
  /** The approved template's Graph components: which button each parameter belongs to, what kind of header. */
  components?: unknown[];
}

export interface OutboundPayload {
  /** Our message id (Postmark Metadata, WhatsApp biz_opaque_callback_data). */
  messageId: string;
  /** Provider address: email address, E.164 phone / wa_id, Telegram chat id. */
  to: string;
  text?: string;
  subject?: string;
  htmlBody?: string;
  template?: OutboundTemplate;
  attachments?: OutboundAttachment[];
  replyToProviderMessageId?: string;
  email?: { inReplyTo?: string; references?: string[]; replyTo?: string };
}

export interface SendResult {
  providerMessageId: string;
  raw?: unknown;
}

export interface ProviderErrorClass {
  retryable: boolean;
  code: string;
  message: string;
  /** Seconds the provider asked us to wait (Telegram retry_after). */
  retryAfterSeconds?: number;
}

export interface ProviderTemplate {
  name: string;
  language: string;
  category: string;
  status: string;
  components: unknown[];
}

/** A provider call failed; `classification` tells whether retrying can help. */
export class ProviderError extends Error {
  constructor(
    readonly classification: ProviderErrorClass,
    readonly httpStatus?: number,
  ) {
    super(classification.message);
    this.name = 'ProviderError';
  }
}

export const emptyParse = (ignoredReason?: string): ParsedWebhook => ({
  messages: [],
  reactions: [],
  edits: [],
  statuses: [],
  consents: [],
  ...(ignoredReason ? { ignoredReason } : {}),
});
