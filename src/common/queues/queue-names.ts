/** Every Bull queue and job name; never inline strings. */
export const QUEUES = {
  webhooks: 'webhooks',
  outbound: 'outbound',
  maintenance: 'maintenance',
  webhookDeliveries: 'webhook-deliveries',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  webhooks: { process: 'webhook.process', sweep: 'webhook.sweep' },
  outbound: { send: 'outbound.send', sweep: 'outbound.sweep' },
  webhookDeliveries: { deliver: 'webhook-delivery.deliver', sweep: 'webhook-delivery.sweep' },
  maintenance: { ledgerRetention: 'ledger.retention', wakeSnoozed: 'conversations.wake-snoozed', purgeIdempotencyKeys: 'idempotency.purge' },
} as const;

export interface JobPayloads {
  'webhook.process': { workspaceId: string; eventId: string; receivedAt: string };
  'webhook.sweep': Record<string, never>;
  'outbound.send': { workspaceId: string; messageId: string };
  'outbound.sweep': Record<string, never>;
  'ledger.retention': Record<string, never>;
  'conversations.wake-snoozed': Record<string, never>;
  'idempotency.purge': Record<string, never>;
  'webhook-delivery.deliver': { workspaceId: string; deliveryId: string };
  'webhook-delivery.sweep': Record<string, never>;
}
