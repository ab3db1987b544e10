/** Every Bull queue and job name; never inline strings. */
export const QUEUES = {
  webhooks: 'webhooks',
  outbound: 'outbound',
  maintenance: 'maintenance',
  ai: 'ai',
  privacy: 'privacy',
  webhookDeliveries: 'webhook-deliveries',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  webhooks: { process: 'webhook.process', sweep: 'webhook.sweep' },
  outbound: { send: 'outbound.send', sweep: 'outbound.sweep' },
  maintenance: {
    ledgerRetention: 'ledger.retention',
    wakeSnoozed: 'conversations.wake-snoozed',
    purgeIdempotencyKeys: 'idempotency.purge',
    retention: 'privacy.retention',
    purgeClosedWorkspaces: 'workspaces.purge-closed',
  },
  webhookDeliveries: { deliver: 'webhook-delivery.deliver', sweep: 'webhook-delivery.sweep' },
  ai: { generate: 'ai.generate', sweep: 'ai.sweep' },
  privacy: { request: 'privacy.request', export: 'privacy.export', sweep: 'privacy.sweep' },
} as const;

export interface JobPayloads {
  'webhook.process': { workspaceId: string; eventId: string; receivedAt: string };
  'webhook.sweep': Record<string, never>;
  'outbound.send': { workspaceId: string; messageId: string };
  'outbound.sweep': Record<string, never>;
  'ledger.retention': Record<string, never>;
  'conversations.wake-snoozed': Record<string, never>;
  'idempotency.purge': Record<string, never>;
  'ai.generate': { workspaceId: string; artifactId: string };
  'ai.sweep': Record<string, never>;
  /** `now` (ISO) lets tests move the clock; absent, the job uses the current time. */
  'privacy.retention': { now?: string };
  'workspaces.purge-closed': { now?: string };
  'privacy.request': { workspaceId: string; requestId: string };
  'privacy.export': { workspaceId: string; exportId: string };
  'privacy.sweep': Record<string, never>;
  'webhook-delivery.deliver': { workspaceId: string; deliveryId: string };
  'webhook-delivery.sweep': Record<string, never>;
}
