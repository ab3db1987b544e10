import { Injectable } from '@nestjs/common';
import {
  asNumber,
  asString,
  compact,
  fetchJson,
  getCI,
  headerValue,
  isRecord,
  requireCredential,
  safeEqual,
} from '../adapter-utils';
import type { ChannelAdapter } from '../channel-adapter';
import {
  ProviderError,
  emptyParse,
  type ChannelCredentials,
  type DedupeKey,
  type DownloadedMedia,
  type MediaRef,
  type OutboundPayload,
  type ParsedWebhook,
  type ProviderErrorClass,
  type ProviderTemplate,
  type SendResult,
  type WebhookKind,
  type WebhookRequest,
} from '../normalized';
import { parsePostmarkEvent } from './postmark-events.parser';
import { parsePostmarkInbound } from './postmark-inbound.parser';

/** Postmark API error codes that are worth retrying: 100 = maintenance, 429 = rate limit. */
const RETRYABLE_ERROR_CODES = new Set([100, 429]);
const BAD_TOKEN_ERROR_CODE = '10';

const withBrackets = (id: string): string => (id.startsWith('<') ? id : `<${id}>`);

/** The events URL carries RecordType; the inbound one does not. `default` is routed by shape. */
function isEventPayload(payload: unknown, kind: WebhookKind): boolean {
  if (kind !== 'default') return kind === 'events';
  const recordType = asString(getCI(payload, 'RecordType'));
  return recordType !== undefined && recordType !== 'Inbound';
}

function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const match = header?.match(/^\s*basic\s+(\S+)\s*$/i);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':'); // user names cannot contain ':', passwords can
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function eventDedupeKey(payload: unknown): DedupeKey | undefined {
  const get = (key: string): string | undefined => asString(getCI(payload, key));
  const recordType = get('RecordType');
  const parts = (...keys: string[]): string[] | undefined => {
    const values = keys.map(get);
    return values.every((v): v is string => v !== undefined) ? values : undefined;
  };
  let natural: string[] | undefined;
  switch (recordType) {
    case 'Bounce':
    case 'SpamComplaint':
      // Bounce IDs are 64-bit. asString() keeps whatever the caller's JSON parser produced
      // (string, bigint or number); precision is only preserved if that parser preserved it.
      natural = parts('ID');
      break;
    case 'Delivery':
      natural = parts('MessageID', 'Recipient');
      break;
    case 'Open':
      natural = parts('MessageID', 'Recipient', 'ReceivedAt');
      break;
    case 'Click':
      natural = parts('MessageID', 'Recipient', 'ReceivedAt', 'OriginalLink');
      break;
    case 'SubscriptionChange': {
      const suppress = getCI(payload, 'SuppressSending');
      const base = parts('MessageID', 'Recipient', 'ChangedAt');
      natural = base && typeof suppress === 'boolean' ? [...base, String(suppress)] : undefined;
      break;
    }
    default:
      natural = undefined;
  }
  return natural ? ['pm', recordType, ...natural].join(':') : undefined;
}

@Injectable()
export class PostmarkAdapter implements ChannelAdapter {
  readonly type = 'email' as const;

  /** Postmark does not sign payloads; the webhook URL carries Basic auth credentials instead. */
  verify(req: WebhookRequest, creds: ChannelCredentials): boolean {
    try {
      const given = parseBasicAuth(headerValue(req.headers, 'authorization'));
      if (!given) return false;
      // Both comparisons always run (no short-circuit) so timing does not reveal which part failed.
      const userOk = safeEqual(given.user, creds.basicUser);
      const passwordOk = safeEqual(given.password, creds.basicPassword);
      return userOk && passwordOk;
    } catch {
      return false;
    }
  }

  dedupeKeys(payload: unknown, kind: WebhookKind): DedupeKey[] {
    if (!isRecord(payload)) return [];
    if (isEventPayload(payload, kind)) {
      const key = eventDedupeKey(payload);
      return key ? [key] : [];
    }
    const messageId = asString(getCI(payload, 'MessageID'));
    return messageId ? [`pm:in:${messageId}`] : [];
  }

  parse(payload: unknown, kind: WebhookKind): ParsedWebhook {
    try {
      if (!isRecord(payload)) return emptyParse('postmark: payload is not a JSON object');
      return isEventPayload(payload, kind) ? parsePostmarkEvent(payload) : parsePostmarkInbound(payload);
    } catch (error) {
      return emptyParse(`postmark: malformed payload (${error instanceof Error ? error.message : 'unknown'})`);
    }
  }

  async send(creds: ChannelCredentials, message: OutboundPayload): Promise<SendResult> {
    const token = requireCredential(creds.serverToken, 'serverToken');
    const from = requireCredential(creds.fromAddress, 'fromAddress');
    const body = this.buildEmail(from, creds.messageStream, message);
    const response = await fetchJson(
      `${creds.apiUrl}/email`,
      {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          'X-Postmark-Server-Token': token,
        },
        body: JSON.stringify(body),
        secrets: [token],
      },
      (status, errorBody) => this.classifyError(status, errorBody),
    );
    const providerMessageId = asString(getCI(response, 'MessageID'));
    const errorCode = asNumber(getCI(response, 'ErrorCode'));
    if (errorCode || !providerMessageId) {
      // Defensive: the single-send endpoint reports errors as 422, but a 200 must still carry MessageID.
      throw new ProviderError(this.classifyError(422, response), 200);
    }
    return { providerMessageId, raw: response };
  }

  classifyError(httpStatus: number, body: unknown): ProviderErrorClass {
    const errorCode = asNumber(getCI(body, 'ErrorCode'));
    const message = asString(getCI(body, 'Message')) ?? `Postmark answered HTTP ${httpStatus}`;
    if (httpStatus === 429 || httpStatus >= 500) {
      return { retryable: true, code: errorCode ? String(errorCode) : String(httpStatus), message };
    }
    if (httpStatus === 401) return { retryable: false, code: BAD_TOKEN_ERROR_CODE, message };
    if (errorCode !== undefined) {
      return { retryable: RETRYABLE_ERROR_CODES.has(errorCode), code: String(errorCode), message };
    }
    // e.g. a 403 HTML page from a network security layer: not a Postmark API error, do not retry blindly.
    return { retryable: false, code: String(httpStatus), message };
  }

  /** Postmark delivers attachments inline as base64; there is nothing to fetch. */
  async downloadMedia(_creds: ChannelCredentials, ref: MediaRef): Promise<DownloadedMedia> {
    if (!ref.contentBase64) {
      throw new ProviderError({ retryable: false, code: 'media_unavailable', message: 'postmark attachment has no inline content' });
    }
    return compact({
      data: Buffer.from(ref.contentBase64, 'base64'),
      contentType: ref.contentType ?? 'application/octet-stream',
      filename: ref.filename,
    });
  }

  async listTemplates(_creds: ChannelCredentials): Promise<ProviderTemplate[]> {
    return [];
  }
  /** Postmark webhooks are configured in its UI with our generated URLs; nothing to call. */
  async registerWebhook(_creds: ChannelCredentials, _webhookUrl: string): Promise<Record<string, string>> {
    return {};
  }

  async unregisterWebhook(_creds: ChannelCredentials): Promise<void> {
    return undefined;
  }


  private buildEmail(from: string, messageStream: string | undefined, message: OutboundPayload): Record<string, unknown> {
    const headers = [
      message.email?.inReplyTo ? { Name: 'In-Reply-To', Value: withBrackets(message.email.inReplyTo) } : undefined,
      message.email?.references?.length
        ? { Name: 'References', Value: message.email.references.map(withBrackets).join(' ') }
        : undefined,
    ].filter((h) => h !== undefined);
    const attachments = (message.attachments ?? []).map((a) => ({
      Name: a.filename,
      Content: a.data.toString('base64'),
      ContentType: a.contentType,
    }));
    return compact({
      From: from,
      To: message.to,
      Subject: message.subject ?? '',
      TextBody: message.text,
      HtmlBody: message.htmlBody,
      ReplyTo: message.email?.replyTo,
      Headers: headers.length ? headers : undefined,
      MessageStream: messageStream || 'outbound',
      // Echoed back in Delivery/Bounce webhooks so events map to our message without a lookup.
      Metadata: { messageId: message.messageId },
      Attachments: attachments.length ? attachments : undefined,
    });
  }
}
