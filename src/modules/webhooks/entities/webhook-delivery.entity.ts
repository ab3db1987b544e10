import { Entity, Index, Property } from '@mikro-orm/core';
import { TenantEntity, TenantScoped } from '../../../infrastructure/database';

export type WebhookDeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One event for one subscription; its id is `X-Nanozons-Delivery` on every attempt. */
@Entity({ tableName: 'webhook_deliveries' })
@TenantScoped()
@Index({ properties: ['workspaceId', 'subscriptionId', 'id'] })
export class WebhookDelivery extends TenantEntity<'status' | 'attempts'> {
  @Property({ type: 'uuid' })
  subscriptionId!: string;

  @Property({ type: 'text' })
  event!: string;

  /** When the domain event happened: the body's `createdAt`, the same on every attempt. */
  @Property({ type: 'timestamptz' })
  eventCreatedAt!: Date;

  @Property({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Property({ type: 'text' })
  status: WebhookDeliveryStatus = 'pending';

  @Property({ type: 'integer' })
  attempts = 0;

  @Property({ type: 'integer', nullable: true })
  responseCode?: number | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @Property({ type: 'integer', nullable: true })
  durationMs?: number | null;

  @Property({ type: 'timestamptz', nullable: true })
  lastAttemptAt?: Date | null;

  /** Failed attempts are retried with backoff until then; a manual redelivery opens a new window. */
  @Property({ type: 'timestamptz' })
  retryUntil!: Date;
}
