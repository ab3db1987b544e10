import { Injectable } from '@nestjs/common';
import {
  asNumber,
  asRecord,
  asString,
  compact,
  fetchBytes,
  fetchJson,
  headerValue,
  requireCredential,
  safeEqual,
  toBlob,
  type ProviderRequest,
} from '../adapter-utils';
import type { ChannelAdapter } from '../channel-adapter';
import {
  ProviderError,
  emptyParse,
  type ChannelCredentials,
  type DedupeKey,
  type DownloadedMedia,
  type MediaRef,
  type OutboundAttachment,
  type OutboundPayload,
  type ParsedWebhook,
  type ProviderErrorClass,
  type ProviderTemplate,
  type SendResult,
  type WebhookKind,
  type WebhookRequest,
} from '../normalized';
import { parseTelegramUpdate, telegramDedupeKeys, telegramMessageId } from './telegram-update.parser';

/** The update types the parser understands; setWebhook asks Telegram for exactly these. */
export const TELEGRAM_UPDATE_TYPES = ['message', 'edited_message', 'callback_query', 'message_reaction'];

/** Telegram's sendPhoto re-encodes to JPEG; GIF/SVG would lose animation/vectors, so they go as documents. */
const isPhoto = (contentType: string): boolean =>
  /^image\//i.test(contentType) && !/^image\/(gif|svg)/i.test(contentType);

/** Our provider ids are `${chatId}:${messageId}`; Telegram wants only the numeric message id. */
function replyParameters(replyTo: string | undefined): { message_id: number } | undefined {
  const messageId = asNumber(replyTo?.slice(replyTo.lastIndexOf(':') + 1));
  return messageId !== undefined && Number.isInteger(messageId) ? { message_id: messageId } : undefined;
}

@Injectable()
export class TelegramAdapter implements ChannelAdapter {
  readonly type = 'telegram' as const;

  private readonly classify = (status: number, body: unknown): ProviderErrorClass =>
    this.classifyError(status, body);

  /** Telegram echoes setWebhook's secret_token in a header; it is a shared secret, not a body signature. */
  verify(req: WebhookRequest, creds: ChannelCredentials): boolean {
    try {
      return safeEqual(headerValue(req.headers, 'x-telegram-bot-api-secret-token'), creds.webhookSecret);
    } catch {
      return false;
    }
  }

  dedupeKeys(payload: unknown, _kind: WebhookKind): DedupeKey[] {
    return telegramDedupeKeys(payload);
  }

  parse(payload: unknown, _kind: WebhookKind): ParsedWebhook {
    try {
      return parseTelegramUpdate(payload);
    } catch (error) {
      return emptyParse(`telegram: malformed payload (${error instanceof Error ? error.message : 'unknown'})`);
    }
  }

  async send(creds: ChannelCredentials, message: OutboundPayload): Promise<SendResult> {
    const token = requireCredential(creds.botToken, 'botToken');
    const attachment = message.attachments?.[0];
    const [method, request] = attachment
      ? this.fileRequest(message, attachment)
      : this.textRequest(message);
    const response = await fetchJson(
      `${creds.apiUrl}/bot${token}/${method}`,
      { ...request, method: 'POST', secrets: [token] },
      this.classify,
    );
    return { providerMessageId: this.sentMessageId(response), raw: response };
  }

  classifyError(httpStatus: number, body: unknown): ProviderErrorClass {
    const answer = asRecord(body);
    const errorCode = asNumber(answer?.error_code);
    const retryAfterSeconds = asNumber(asRecord(answer?.parameters)?.retry_after);
    const message = asString(answer?.description) ?? `Telegram answered HTTP ${httpStatus}`;
    const code = String(errorCode || httpStatus);
    // An `ok: false` body may come with HTTP 200; the error_code is then the real status.
    const status = httpStatus >= 400 ? httpStatus : (errorCode ?? httpStatus);
    if (status === 429) return compact({ retryable: true, code, message, retryAfterSeconds });
    return { retryable: status >= 500, code, message };
  }

  async downloadMedia(creds: ChannelCredentials, ref: MediaRef): Promise<DownloadedMedia> {
    const token = requireCredential(creds.botToken, 'botToken');
    if (!ref.providerFileId) {
      throw new ProviderError({ retryable: false, code: 'media_unavailable', message: 'telegram media reference has no file_id' });
    }
    const request: ProviderRequest = { secrets: [token] };
    const answer = asRecord(
      await fetchJson(`${creds.apiUrl}/bot${token}/getFile?file_id=${encodeURIComponent(ref.providerFileId)}`, request, this.classify),
    );
    const filePath = asString(asRecord(answer?.result)?.file_path);
    if (!filePath) {
      // No file_path: the file is over the Bot API's 20 MB download limit.
      throw new ProviderError({ retryable: false, code: 'media_unavailable', message: 'telegram getFile returned no file_path' });
    }
    // This URL contains the bot token: it never leaves this method (errors are redacted too).
    const file = await fetchBytes(`${creds.apiUrl}/file/bot${token}/${filePath}`, request, this.classify);
    return {
      data: file.data,
      // getFile does not keep the original name/MIME type, so the message's values win.
      contentType: ref.contentType ?? file.contentType ?? 'application/octet-stream',
      filename: ref.filename ?? filePath.split('/').pop() ?? filePath,
    };
  }

  async listTemplates(_creds: ChannelCredentials): Promise<ProviderTemplate[]> {
    return [];
  }

  /** getMe proves the token; setWebhook points the bot at us with the channel's secret header. */
  async registerWebhook(creds: ChannelCredentials, webhookUrl: string): Promise<Record<string, string>> {
    const token = requireCredential(creds.botToken, 'botToken');
    const secret = requireCredential(creds.webhookSecret, 'webhookSecret');
    const request = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, secrets: [token, secret] };
    const me = asRecord(asRecord(await fetchJson(`${creds.apiUrl}/bot${token}/getMe`, { ...request, body: '{}' }, this.classify))?.result);
    await fetchJson(
      `${creds.apiUrl}/bot${token}/setWebhook`,
      { ...request, body: JSON.stringify({ url: webhookUrl, secret_token: secret, allowed_updates: TELEGRAM_UPDATE_TYPES }) },
      this.classify,
    );
    return compact({ username: asString(me?.username) ?? '', botId: String(asNumber(me?.id) ?? '') });
  }

  async unregisterWebhook(creds: ChannelCredentials): Promise<void> {
    const token = requireCredential(creds.botToken, 'botToken');
    await fetchJson(
      `${creds.apiUrl}/bot${token}/deleteWebhook`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', secrets: [token] },
      this.classify,
    );
  }

  private textRequest(message: OutboundPayload): [string, ProviderRequest] {
    if (!message.text) {
      throw new ProviderError({ retryable: false, code: 'invalid_message', message: 'telegram message needs text or an attachment' });
    }
    const body = compact({
      chat_id: message.to,
      text: message.text,
      reply_parameters: replyParameters(message.replyToProviderMessageId),
    });
    return ['sendMessage', { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }];
  }

  /** Only the first attachment is sent; the text becomes its caption. */
  private fileRequest(message: OutboundPayload, attachment: OutboundAttachment): [string, ProviderRequest] {
    const field = isPhoto(attachment.contentType) ? 'photo' : 'document';
    const form = new FormData();
    form.append('chat_id', message.to);
    if (message.text) form.append('caption', message.text);
    const reply = replyParameters(message.replyToProviderMessageId);
    if (reply) form.append('reply_parameters', JSON.stringify(reply));
    form.append(field, toBlob(attachment.data, attachment.contentType), attachment.filename);
    return [field === 'photo' ? 'sendPhoto' : 'sendDocument', { body: form }];
  }

  private sentMessageId(response: unknown): string {
    const answer = asRecord(response);
    if (answer?.ok === false) throw new ProviderError(this.classifyError(200, answer), 200);
    const result = asRecord(answer?.result);
    const chatId = asString(asRecord(result?.chat)?.id);
    const messageId = asString(result?.message_id);
    if (!chatId || !messageId) {
      throw new ProviderError({ retryable: false, code: 'invalid_response', message: 'telegram send answer has no result.chat.id/message_id' }, 200);
    }
    return telegramMessageId(chatId, messageId);
  }
}
