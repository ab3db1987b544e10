import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { ChannelType } from '../../channels';
import type { SandboxInboundDto } from './sandbox-inbound.dto';

export interface SignedWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface InboundChannel {
  id: string;
  type: ChannelType;
  config: Record<string, string | number>;
  secrets: { appSecret?: string; webhookSecret?: string; basicUser?: string; basicPassword?: string };
}

/** Builds the webhook a real provider would send for a customer's message, signed with the channel's secret. */
export function buildSignedInbound(channel: InboundChannel, dto: SandboxInboundDto, now = new Date()): SignedWebhook {
  const unix = Math.floor(now.getTime() / 1000);
  const name = dto.name ?? 'Sandbox Customer';
  if (channel.type === 'whatsapp') {
    const from = dto.from.replace(/\D/g, '');
    return signedWhatsapp(channel, {
      contacts: [{ profile: { name }, wa_id: from }],
      messages: [{ from, id: `wamid.SANDBOX${randomUUID().replace(/-/g, '')}`, timestamp: String(unix), type: 'text', text: { body: dto.text } }],
    });
  }
  if (channel.type === 'telegram') {
    const userId = Number(dto.from.replace(/\D/g, '')) || randomInt(1e8, 1e9);
    const [first, ...rest] = name.split(' ');
    const body = JSON.stringify({
      update_id: randomInt(1, 2 ** 31),
      message: {
        message_id: randomInt(1, 2 ** 31),
        from: { id: userId, is_bot: false, first_name: first, ...(rest.length ? { last_name: rest.join(' ') } : {}) },
        chat: { id: userId, type: 'private', first_name: first },
        date: unix,
        text: dto.text,
      },
    });
    return { path: `/v1/webhooks/telegram/${channel.id}`, headers: { 'x-telegram-bot-api-secret-token': channel.secrets.webhookSecret ?? '' }, body };
  }
  const messageId = randomUUID();
  const to = String(channel.config.inboundAddress);
  const body = JSON.stringify({
    From: dto.from,
    FromName: name,
    FromFull: { Email: dto.from, Name: name, MailboxHash: '' },
    To: to,
    ToFull: [{ Email: to, Name: '', MailboxHash: '' }],
    OriginalRecipient: to,
    Subject: dto.subject ?? 'Sandbox message',
    MessageID: messageId,
    Date: now.toUTCString(),
    MailboxHash: '',
    TextBody: dto.text,
    HtmlBody: '',
    StrippedTextReply: dto.text,
    MessageStream: 'inbound',
    Headers: [{ Name: 'Message-ID', Value: `<${messageId}@sandbox.nanozons.dev>` }],
    Attachments: [],
  });
  return signedPostmark(channel, 'inbound', body);
}

/** Meta's `messages` change for the channel's number, around `value` (messages or statuses), signed with the app secret. */
export function signedWhatsapp(channel: InboundChannel, value: Record<string, unknown>): SignedWebhook {
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: String(channel.config.businessAccountId),
      changes: [{
        field: 'messages',
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: String(channel.config.displayPhoneNumber ?? ''), phone_number_id: String(channel.config.phoneNumberId) },
          ...value,
        },
      }],
    }],
  });
  const signature = createHmac('sha256', channel.secrets.appSecret ?? '').update(body).digest('hex');
  return { path: `/v1/webhooks/whatsapp/${channel.id}`, headers: { 'x-hub-signature-256': `sha256=${signature}` }, body };
}

/** A Postmark webhook (inbound email or an outbound event) with the channel's generated Basic credentials. */
export function signedPostmark(channel: InboundChannel, kind: 'inbound' | 'events', body: string): SignedWebhook {
  const basic = Buffer.from(`${channel.secrets.basicUser}:${channel.secrets.basicPassword}`).toString('base64');
  return { path: `/v1/webhooks/postmark/${channel.id}/${kind}`, headers: { authorization: `Basic ${basic}` }, body };
}
