import { InboundChannel, SignedWebhook, signedPostmark, signedWhatsapp } from './sandbox-inbound.builder';

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
    return signedWhatsapp(channel, {
      statuses: [{ id: update.providerMessageId, status: update.status, timestamp: String(Math.floor(now.getTime() / 1000)), recipient_id: update.recipient ?? '' }],
    });
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
  return signedPostmark(channel, 'events', body);
}
