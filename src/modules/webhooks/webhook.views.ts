import type { WebhookDelivery } from './entities/webhook-delivery.entity';
import type { WebhookSubscription } from './entities/webhook-subscription.entity';
import type { WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import type { WebhookSubscriptionDto } from './dto/webhook-subscription.dto';

export const toSubscriptionView = (s: WebhookSubscription): WebhookSubscriptionDto => ({
  id: s.id,
  url: s.url,
  events: s.events,
  status: s.status,
  previousSecretExpiresAt: s.previousSecretExpiresAt ?? null,
  disabledAt: s.disabledAt ?? null,
  createdAt: s.createdAt,
});

export const toDeliveryView = (d: WebhookDelivery): WebhookDeliveryDto => ({
  id: d.id,
  subscriptionId: d.subscriptionId,
  event: d.event,
  status: d.status,
  responseCode: d.responseCode ?? null,
  attempts: d.attempts,
  lastError: d.lastError ?? null,
  durationMs: d.durationMs ?? null,
  at: d.lastAttemptAt ?? d.createdAt,
  createdAt: d.createdAt,
});
