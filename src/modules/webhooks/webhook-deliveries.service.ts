import { DomainEventsSubscriber } from '../../common/events';
import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import type { RequestCtx } from '../../common/authz';
import type { DomainEventMap, DomainEventName } from '../../common/events';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { enqueueSafely, freeJobId, JOBS, JobPayloads, QUEUES, requeueRows, scheduleRepeatable } from '../../common/queues';
import { AppConfig } from '../../config';
import { newId } from '../../infrastructure/database';
import { RETRY_WINDOW_MS } from './delivery/delivery-backoff';
import { ALL_EVENTS } from './dto/webhook-subscription.dto';
import type { WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { deliveryJobOptions } from './jobs/delivery-jobs';
import { WebhookClock } from './webhook-clock';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { toDeliveryView } from './webhook.views';
import { deliveryInProgress, deliveryNotFound } from './webhooks.errors';
import { WEBHOOK_CLOCK } from './webhooks.tokens';

export const DELIVERY_SWEEP_EVERY_MS = 60_000;
/** A pending delivery untouched this long may have lost its job (Redis outage, crash before enqueue); live (delayed) jobs are left alone. */
const SWEEP_AFTER_MS = 5 * 60 * 1000;
const SWEEP_BATCH = 500;

/**
 * The delivery log: one row per domain event and matching active subscription, committed before
 * its job is enqueued; the sweeper re-enqueues rows whose job never ran.
 */
@Injectable()
export class WebhookDeliveriesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebhookDeliveriesService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly subscriptions: WebhookSubscriptionsService,
    private readonly config: AppConfig,
    @Inject(WEBHOOK_CLOCK) private readonly clock: WebhookClock,
    @InjectQueue(QUEUES.webhookDeliveries) private readonly queue: Queue<JobPayloads['webhook-delivery.deliver']>,
    private readonly events: DomainEventsSubscriber,
  ) {}

  onApplicationBootstrap() {
    if (this.config.isWorker) scheduleRepeatable(this.queue, JOBS.webhookDeliveries.sweep, { every: DELIVERY_SWEEP_EVERY_MS });
  }

  /** Payloads carry ids only (no personal data), so every subscriber gets the same `data`. */
  async fanOut<N extends DomainEventName>(name: N, payload: DomainEventMap[N]): Promise<number> {
    const { workspaceId, ...data } = payload;
    const em = this.em.fork();
    const subscriptions = await em.execute<{ id: string }[]>(
      `select id from webhook_subscriptions where workspace_id = ? and status = 'active' and (events @> array[?]::text[] or events @> array[?]::text[])`,
      [workspaceId, name, ALL_EVENTS],
    );
    if (!subscriptions.length) return 0;
    const now = this.clock.now();
    const retryUntil = new Date(now.getTime() + RETRY_WINDOW_MS);
    const rows = subscriptions.map((s) => ({ id: newId(), workspaceId, subscriptionId: s.id, event: name, eventCreatedAt: now, data, status: 'pending' as const, attempts: 0, retryUntil, createdAt: now, updatedAt: now }));
    await em.insertMany(WebhookDelivery, rows);
    for (const row of rows) await this.enqueue(workspaceId, row.id);
    return rows.length;
  }

  async list(ctx: RequestCtx, subscriptionId: string, q: PageQuery): Promise<Page<WebhookDeliveryDto>> {
    await this.subscriptions.load(ctx, subscriptionId);
    const afterId = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      WebhookDelivery,
      { workspaceId: ctx.workspaceId, subscriptionId, ...(afterId ? { id: { $lt: afterId } } : {}) },
      { orderBy: { id: 'desc' }, limit: q.limit + 1 },
    );
    return toPage(rows, q.limit, (r) => ({ id: r.id }), toDeliveryView);
  }

  /** Sends a finished delivery again under the same id, with a fresh 24 h of retries. */
  async redeliver(ctx: RequestCtx, subscriptionId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    await this.subscriptions.load(ctx, subscriptionId);
    const delivery = await this.em.findOne(WebhookDelivery, { id: deliveryId, subscriptionId, workspaceId: ctx.workspaceId });
    if (!delivery) throw deliveryNotFound();
    if (delivery.status === 'pending' || !(await freeJobId(this.queue, delivery.id))) throw deliveryInProgress();
    Object.assign(delivery, { status: 'pending', retryUntil: new Date(this.clock.now().getTime() + RETRY_WINDOW_MS) });
    await this.em.flush();
    // After the request's commit, so the job sees the row pending again.
    this.events.afterCommit(this.em, () => void this.enqueue(ctx.workspaceId, delivery.id));
    return toDeliveryView(delivery);
  }

  async sweep(): Promise<number> {
    const rows = await this.em.fork().execute<{ id: string; workspace_id: string }[]>(
      `select id, workspace_id from webhook_deliveries where status = 'pending' and updated_at < ? order by updated_at limit ?`,
      [new Date(Date.now() - SWEEP_AFTER_MS), SWEEP_BATCH],
    );
    const requeued = await requeueRows(this.queue, rows, (row) => this.enqueue(row.workspace_id, row.id));
    if (requeued) this.logger.log(`re-enqueued ${requeued} pending webhook deliver(ies)`);
    return requeued;
  }

  private enqueue(workspaceId: string, deliveryId: string): Promise<boolean> {
    return enqueueSafely(this.queue, JOBS.webhookDeliveries.deliver, { workspaceId, deliveryId }, deliveryJobOptions(deliveryId));
  }
}
