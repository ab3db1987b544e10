import { createHmac } from 'node:crypto';
import type { InboundChannel, SignedWebhook } from './sandbox-inbound.builder';

export type SandboxStatus = 'delivered' | 'read';

export interface StatusUpdate {
  providerMessageId: string;
  status: SandboxStatus;
  recipient?: string;
}

/**
 * Which statuses each provider reports (PROVIDERS.md): WhatsApp both; Postmark deliveries only
 * (opens are not reads, so the platform never takes them as one); Telegram's Bot API neither.
 */
export const REPORTED_STATUSES: Record<InboundChannel['type'], readonly SandboxStatus[]> = {
  whatsapp: ['delivered', 'read'],
  email: ['delivered'],
  telegram: [],
};

/** Builds the status webhook the channel's provider would send for one of its sent messages, signed. */
export function buildSignedStatus(channel: InboundChannel, update: StatusUpdate, now = new Date()): SignedWebhook {
  if (channel.type === 'whatsapp') {
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{
        id: String(channel.config.businessAccountId),
        changes: [{
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: String(channel.config.displayPhoneNumber ?? ''), phone_number_id: String(channel.config.phoneNumberId) },
            statuses: [{
              id: update.providerMessageId,
              status: update.status,
              timestamp: String(Math.floor(now.getTime() / 1000)),
              recipient_id: update.recipient ?? '',
            }],
          },
        }],
      }],
    });
    const signature = createHmac('sha256', channel.secrets.appSecret ?? '').update(body).digest('hex');
    return { path: `/v1/webhooks/whatsapp/${channel.id}`, headers: { 'x-hub-signature-256': `sha256=${signature}` }, body };
  }
  const body = JSON.stringify({
    RecordType: 'Delivery',
    ServerID: 1,
    MessageStream: 'outbound',
    MessageID: update.providerMessageId,
    Recipient: update.recipient ?? '',
    Tag: '',
    DeliveredAt: now.toISOString(),
    Details: 'Sandbox delivery',
    Metadata: {},
  });
  const basic = Buffer.from(`${channel.secrets.basicUser}:${channel.secrets.basicPassword}`).toString('base64');
  return { path: `/v1/webhooks/postmark/${channel.id}/events`, headers: { authorization: `Basic ${basic}` }, body };
}
