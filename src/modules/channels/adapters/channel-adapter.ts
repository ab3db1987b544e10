import type {
  ChannelType,
  DedupeKey,
  ParsedWebhook,
  OutboundPayload,
  SendResult,
  WebhookKind,
  WebhookRequest,
  ChannelCredentials,
  ProviderErrorClass,
  MediaRef,
  DownloadedMedia,
  ProviderTemplate,
} from './normalized';

/**
 * Everything provider-specific lives behind this interface; nothing outside
 * channels/adapters knows a provider's JSON.
 */
export interface ChannelAdapter {
  readonly type: ChannelType;
  /** Checks the request's credentials/signature on the raw bytes, in constant time. */
  verify(req: WebhookRequest, creds: ChannelCredentials): boolean;
  /** Natural idempotency keys of a verified payload (empty when the shape is unknown). */
  dedupeKeys(payload: unknown, kind: WebhookKind): DedupeKey[];
  /** Turns a stored payload into normalized results; never throws for unknown shapes. */
  parse(payload: unknown, kind: WebhookKind): ParsedWebhook;
  /** Sends one message through the provider; throws ProviderError on failure. */
  send(creds: ChannelCredentials, message: OutboundPayload): Promise<SendResult>;
  /** Classifies a failed provider HTTP answer. */
  classifyError(httpStatus: number, body: unknown): ProviderErrorClass;
  /** Fetches an inbound media file from the provider. */
  downloadMedia(creds: ChannelCredentials, ref: MediaRef): Promise<DownloadedMedia>;
  /** Lists the provider's message templates (WhatsApp only; others return []). */
  listTemplates(creds: ChannelCredentials): Promise<ProviderTemplate[]>;
  /**
   * Registers our webhook with the provider on connect (Telegram getMe + setWebhook); returns
   * public facts to show in the channel's config. Providers configured by hand return {}.
   */
  registerWebhook(creds: ChannelCredentials, webhookUrl: string): Promise<Record<string, string>>;
  /** Removes our webhook on disconnect (Telegram deleteWebhook); a no-op elsewhere. */
  unregisterWebhook(creds: ChannelCredentials): Promise<void>;
}
