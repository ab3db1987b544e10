import { RequestContext } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../config';
import { SecretBox } from '../../infrastructure/crypto';
import { TENANT_FILTER } from '../../infrastructure/database';
import { webhookDeliveryOutcomes } from '../../infrastructure/metrics/metrics';
import { AuditService } from '../audit';
import { deliveryRetryDelayMs, RETRY_WINDOW_MS } from './delivery/delivery-backoff';
import { sendWebhook, WebhookAttemptResult } from './delivery/webhook-sender';
import { signatureHeader } from './delivery/webhook-signature';
import type { WebhookPayloadDto } from './dto/webhook-delivery.dto';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { RetryDelivery } from './jobs/delivery-jobs';
import { WebhookClock } from './webhook-clock';
import { WEBHOOK_CLOCK } from './webhooks.tokens';

export const DELIVERY_HEADER = 'X-Nanozons-Delivery';
export const SIGNATURE_HEADER = 'X-Nanozons-Signature';
const MAX_ERROR_CHARS = 1000;

/**
 * One delivery attempt on the worker: sign the stored body, POST it, record the outcome, and either
 * finish (`succeeded`, or `failed` once the retry window is spent) or ask Bull to try again later.
 * A subscription whose attempts have failed without a success for 24 h is disabled and audited.
 */
@Injectable()
export class WebhookDeliveryRunner {
  private readonly logger = new Logger(WebhookDeliveryRunner.name);

  constructor(
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    @Inject(WEBHOOK_CLOCK) private readonly clock: WebhookClock,
  ) {}

  /** Its own entity manager context, which the audit entry of a disabling joins. */
  attempt(workspaceId: string, deliveryId: string): Promise<void> {
    return RequestContext.create(this.em, () => this.attemptInContext(workspaceId, deliveryId));
  }

  private async attemptInContext(workspaceId: string, deliveryId: string): Promise<void> {
    const em = this.em;
    em.setFilterParams(TENANT_FILTER, { workspaceId });
    const delivery = await em.findOne(WebhookDelivery, { id: deliveryId, workspaceId });
    if (!delivery || delivery.status !== 'pending') return;
    const subscription = await em.findOne(WebhookSubscription, { id: delivery.subscriptionId, workspaceId });
    if (!subscription || subscription.status !== 'active') {
      Object.assign(delivery, { status: 'failed', lastError: 'the subscription is disabled' });
      await em.flush();
      return;
    }

    const now = this.clock.now();
    const body = JSON.stringify({ id: delivery.id, event: delivery.event, createdAt: delivery.eventCreatedAt.toISOString(), workspaceId, data: delivery.data } satisfies WebhookPayloadDto);
    const result = await sendWebhook({
      url: subscription.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Nanozons-Webhooks/1',
        [DELIVERY_HEADER]: delivery.id,
        [SIGNATURE_HEADER]: signatureHeader(this.signingSecrets(subscription, now), body, now),
      },
      timeoutMs: this.config.env.WEBHOOK_DELIVERY_TIMEOUT_MS,
      allowPrivate: this.config.env.ALLOW_PRIVATE_WEBHOOK_URLS,
    });
    const finishedAt = this.clock.now();
    const attempts = delivery.attempts + 1;
    const delayMs = deliveryRetryDelayMs(attempts, this.config.env.WEBHOOK_DELIVERY_RETRY_BASE_MS);
    const retry = !result.ok && finishedAt.getTime() + delayMs <= delivery.retryUntil.getTime();
    Object.assign(delivery, {
      attempts,
      status: result.ok ? 'succeeded' : retry ? 'pending' : 'failed',
      responseCode: result.responseCode,
      lastError: result.error?.slice(0, MAX_ERROR_CHARS) ?? null,
      durationMs: result.durationMs,
      lastAttemptAt: finishedAt,
    });
    await em.flush();
    webhookDeliveryOutcomes.inc({ outcome: result.ok ? 'succeeded' : retry ? 'retried' : 'failed' });
    await this.trackHealth(em, subscription, result, finishedAt);
    if (retry) throw new RetryDelivery(delayMs);
  }

  /** The current secret, and the pre-rotation one while its overlap lasts. */
  private signingSecrets(subscription: WebhookSubscription, now: Date): string[] {
    const previous = subscription.previousSecret && subscription.previousSecretExpiresAt && subscription.previousSecretExpiresAt > now ? [subscription.previousSecret] : [];
    return [subscription.secret, ...previous].map((s) => this.box.decrypt(s));
  }

  private async trackHealth(em: EntityManager, subscription: WebhookSubscription, result: WebhookAttemptResult, at: Date): Promise<void> {
    if (result.ok) {
      if (subscription.failingSince) await em.nativeUpdate(WebhookSubscription, { id: subscription.id, workspaceId: subscription.workspaceId }, { failingSince: null });
      return;
    }
    const failingSince = subscription.failingSince ?? at;
    if (at.getTime() - failingSince.getTime() < RETRY_WINDOW_MS) {
      if (!subscription.failingSince) await em.nativeUpdate(WebhookSubscription, { id: subscription.id, workspaceId: subscription.workspaceId, failingSince: null }, { failingSince: at });
      return;
    }
    const disabled = await em.nativeUpdate(WebhookSubscription, { id: subscription.id, workspaceId: subscription.workspaceId, status: 'active' }, { status: 'disabled', disabledAt: at });
    if (!disabled) return;
    this.logger.warn(`webhook subscription ${subscription.id} disabled after failing since ${failingSince.toISOString()}`);
    await this.audit.record({
      workspaceId: subscription.workspaceId,
      actor: { type: 'system', id: 'webhooks' },
      action: 'webhook_subscription.disabled',
      subjectType: 'WebhookSubscription',
      subjectId: subscription.id,
      changes: { reason: 'every delivery attempt failed for 24 h', failingSince: failingSince.toISOString(), lastError: result.error },
    });
  }
}
