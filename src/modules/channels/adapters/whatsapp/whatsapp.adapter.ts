import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  asNumber,
  asRecord,
  asRecords,
  asString,
  fetchBytes,
  fetchJson,
  headerValue,
  hmacSha256Hex,
  requireCredential,
  safeEqual,
  toBlob,
  unique,
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
import { mediaBody, messageEnvelope, templateBody } from './whatsapp-outbound';
import { parseWhatsAppWebhook, whatsAppDedupeKeys } from './whatsapp-webhook.parser';

/** Graph error codes that clear up by themselves (rate limits, temporary outages, maintenance). */
const TRANSIENT_ERROR_CODES = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057]);
const SIGNATURE_PREFIX = 'sha256=';
/** Guards against a paging loop; 50 pages × 100 templates is far beyond any real account. */
const MAX_TEMPLATE_PAGES = 50;

/** Meta documents the media sha256 as hex; base64 digests are accepted too to be safe. */
function checksumMatches(data: Buffer, expected: string): boolean {
  const digest = createHash('sha256').update(data).digest();
  return expected.toLowerCase() === digest.toString('hex') || expected === digest.toString('base64');
}

@Injectable()
export class WhatsAppAdapter implements ChannelAdapter {
  readonly type = 'whatsapp' as const;

  private readonly classify = (status: number, body: unknown): ProviderErrorClass =>
    this.classifyError(status, body);

  /** HMAC over the exact received bytes: re-serialized JSON would change escapes and break the signature. */
  verify(req: WebhookRequest, creds: ChannelCredentials): boolean {
    try {
      const header = headerValue(req.headers, 'x-hub-signature-256')?.trim();
      if (!header || !creds.appSecret || !header.toLowerCase().startsWith(SIGNATURE_PREFIX)) return false;
      const given = header.slice(SIGNATURE_PREFIX.length).toLowerCase();
      return safeEqual(given, hmacSha256Hex(creds.appSecret, req.rawBody));
    } catch {
      return false;
    }
  }

  dedupeKeys(payload: unknown, _kind: WebhookKind): DedupeKey[] {
    return unique(whatsAppDedupeKeys(payload));
  }

  parse(payload: unknown, _kind: WebhookKind): ParsedWebhook {
    try {
      return parseWhatsAppWebhook(payload);
    } catch (error) {
      return emptyParse(`whatsapp: malformed payload (${error instanceof Error ? error.message : 'unknown'})`);
    }
  }

  async send(creds: ChannelCredentials, message: OutboundPayload): Promise<SendResult> {
    const request = this.authorized(creds);
    const phoneNumberId = requireCredential(creds.phoneNumberId, 'phoneNumberId');
    const body = await this.buildMessage(creds, phoneNumberId, message, request);
    const response = await fetchJson(
      `${creds.apiUrl}/${phoneNumberId}/messages`,
      { ...request, method: 'POST', headers: { ...request.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
      this.classify,
    );
    const providerMessageId = asString(asRecords(asRecord(response)?.messages)[0]?.id);
    if (!providerMessageId) {
      throw new ProviderError({ retryable: false, code: 'invalid_response', message: 'whatsapp send answer has no messages[0].id' }, 200);
    }
    return { providerMessageId, raw: response };
  }

  classifyError(httpStatus: number, body: unknown): ProviderErrorClass {
    const error = asRecord(asRecord(body)?.error);
    const code = asNumber(error?.code);
    const message = asString(error?.message) ?? `WhatsApp answered HTTP ${httpStatus}`;
    if (code !== undefined) return { retryable: TRANSIENT_ERROR_CODES.has(code), code: String(code), message };
    return { retryable: httpStatus === 429 || httpStatus >= 500, code: String(httpStatus), message };
  }

  async downloadMedia(creds: ChannelCredentials, ref: MediaRef): Promise<DownloadedMedia> {
    const request = this.authorized(creds);
    const mediaId = ref.providerFileId;
    if (!mediaId) {
      throw new ProviderError({ retryable: false, code: 'media_unavailable', message: 'whatsapp media reference has no media id' });
    }
    let info = await this.mediaInfo(creds.apiUrl, mediaId, request);
    let file: { data: Buffer; contentType?: string };
    try {
      file = await fetchBytes(info.url, request, this.classify);
    } catch (error) {
      // Media URLs expire after 5 minutes; a fresh lookup yields a new one.
      if (!(error instanceof ProviderError) || error.httpStatus !== 404) throw error;
      info = await this.mediaInfo(creds.apiUrl, mediaId, request);
      file = await fetchBytes(info.url, request, this.classify);
    }
    const expected = info.sha256 ?? ref.sha256;
    if (expected && !checksumMatches(file.data, expected)) {
      // Likely a truncated/corrupted transfer, so another attempt may succeed.
      throw new ProviderError({ retryable: true, code: 'checksum_mismatch', message: 'downloaded whatsapp media does not match its sha256' });
    }
    return {
      data: file.data,
      contentType: info.mimeType ?? ref.contentType ?? file.contentType ?? 'application/octet-stream',
      ...(ref.filename ? { filename: ref.filename } : {}),
    };
  }

  async listTemplates(creds: ChannelCredentials): Promise<ProviderTemplate[]> {
    const request = this.authorized(creds);
    const wabaId = requireCredential(creds.businessAccountId, 'businessAccountId');
    const templates: ProviderTemplate[] = [];
    const seen = new Set<string>();
    let url: string | undefined = `${creds.apiUrl}/${wabaId}/message_templates?limit=100`;
    while (url && !seen.has(url) && seen.size < MAX_TEMPLATE_PAGES) {
      seen.add(url);
      const page = asRecord(await fetchJson(url, request, this.classify));
      for (const t of asRecords(page?.data)) {
        templates.push({
          name: asString(t.name) ?? '',
          language: asString(t.language) ?? '',
          category: asString(t.category) ?? '',
          status: asString(t.status) ?? '',
          components: Array.isArray(t.components) ? t.components : [],
        });
      }
      url = asString(asRecord(page?.paging)?.next);
    }
    return templates;
  }
  /** WhatsApp webhooks are configured in the App Dashboard; nothing to call. */
  async registerWebhook(_creds: ChannelCredentials, _webhookUrl: string): Promise<Record<string, string>> {
    return {};
  }

  async unregisterWebhook(_creds: ChannelCredentials): Promise<void> {
    return undefined;
  }


  private authorized(creds: ChannelCredentials): ProviderRequest & { headers: Record<string, string> } {
    const token = requireCredential(creds.accessToken, 'accessToken');
    return { headers: { Authorization: `Bearer ${token}` }, secrets: [token] };
  }

  private async buildMessage(
    creds: ChannelCredentials,
    phoneNumberId: string,
    message: OutboundPayload,
    request: ProviderRequest,
  ): Promise<Record<string, unknown>> {
    if (message.template) return messageEnvelope(message, 'template', templateBody(message.template));
    const attachment = message.attachments?.[0];
    if (attachment) {
      // Only the first attachment is sent: one Cloud API message carries one media object.
      const mediaId = await this.uploadMedia(creds.apiUrl, phoneNumberId, attachment, request);
      const { type, content } = mediaBody(attachment, mediaId, message.text);
      return messageEnvelope(message, type, content);
    }
    if (!message.text) {
      throw new ProviderError({ retryable: false, code: 'invalid_message', message: 'whatsapp message needs text, a template or an attachment' });
    }
    return messageEnvelope(message, 'text', { preview_url: false, body: message.text });
  }

  private async uploadMedia(
    apiUrl: string,
    phoneNumberId: string,
    attachment: OutboundAttachment,
    request: ProviderRequest,
  ): Promise<string> {
    const form = new FormData();
    form.append('messaging_product', 'whatsapp');
    form.append('type', attachment.contentType);
    form.append('file', toBlob(attachment.data, attachment.contentType), attachment.filename);
    const response = await fetchJson(`${apiUrl}/${phoneNumberId}/media`, { ...request, method: 'POST', body: form }, this.classify);
    const id = asString(asRecord(response)?.id);
    if (!id) throw new ProviderError({ retryable: false, code: 'invalid_response', message: 'whatsapp media upload answer has no id' }, 200);
    return id;
  }

  private async mediaInfo(
    apiUrl: string,
    mediaId: string,
    request: ProviderRequest,
  ): Promise<{ url: string; mimeType?: string; sha256?: string }> {
    const info = asRecord(await fetchJson(`${apiUrl}/${encodeURIComponent(mediaId)}`, request, this.classify));
    const url = asString(info?.url);
    if (!url) throw new ProviderError({ retryable: false, code: 'invalid_response', message: 'whatsapp media lookup has no url' }, 200);
    return { url, mimeType: asString(info?.mime_type), sha256: asString(info?.sha256) };
  }
}
