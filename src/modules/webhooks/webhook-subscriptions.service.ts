import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import type { RequestCtx } from '../../common/authz';
import { decodeIdCursor, Page, PageQuery, toPage } from '../../common/pagination';
import { AppConfig } from '../../config';
import { SecretBox } from '../../infrastructure/crypto';
import { RETRY_WINDOW_MS } from './delivery/delivery-backoff';
import { blockedAddressReason, hostAddress, urlProblem } from './delivery/url-guard';
import { newWebhookSecret } from './delivery/webhook-signature';
import type { CreateWebhookSubscriptionDto, WebhookSubscriptionDto, WebhookSubscriptionWithSecretDto } from './dto/webhook-subscription.dto';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { WebhookClock } from './webhook-clock';
import { toSubscriptionView } from './webhook.views';
import { invalidWebhookUrl, subscriptionNotFound } from './webhooks.errors';
import { WEBHOOK_CLOCK } from './webhooks.tokens';

/** Integrators' webhook subscriptions: the URL guard, secrets (shown once, stored encrypted) and rotation. */
@Injectable()
export class WebhookSubscriptionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly box: SecretBox,
    private readonly config: AppConfig,
    @Inject(WEBHOOK_CLOCK) private readonly clock: WebhookClock,
  ) {}

  async list(ctx: RequestCtx, q: PageQuery): Promise<Page<WebhookSubscriptionDto>> {
    const afterId = decodeIdCursor(q.cursor);
    const rows = await this.em.find(
      WebhookSubscription,
      { workspaceId: ctx.workspaceId, ...(afterId ? { id: { $lt: afterId } } : {}) },
      { orderBy: { id: 'desc' }, limit: q.limit + 1 },
    );
    return toPage(rows, q.limit, (r) => ({ id: r.id }), toSubscriptionView);
  }

  async create(ctx: RequestCtx, dto: CreateWebhookSubscriptionDto): Promise<WebhookSubscriptionWithSecretDto> {
    await this.assertAllowedUrl(dto.url);
    const secret = newWebhookSecret();
    const subscription = this.em.create(WebhookSubscription, {
      workspaceId: ctx.workspaceId,
      url: dto.url,
      events: dto.events,
      secret: this.box.encrypt(secret),
      createdByType: ctx.actor.type,
      createdById: ctx.actor.id,
    });
    await this.em.flush();
    return { ...toSubscriptionView(subscription), secret };
  }

  async remove(ctx: RequestCtx, id: string): Promise<void> {
    const subscription = await this.load(ctx, id);
    await this.em.remove(subscription).flush();
  }

  /** The old secret keeps signing beside the new one for 24 h, so receivers can switch without a gap. */
  async rotateSecret(ctx: RequestCtx, id: string): Promise<WebhookSubscriptionWithSecretDto> {
    const subscription = await this.load(ctx, id);
    const secret = newWebhookSecret();
    Object.assign(subscription, {
      previousSecret: subscription.secret,
      previousSecretExpiresAt: new Date(this.clock.now().getTime() + RETRY_WINDOW_MS),
      secret: this.box.encrypt(secret),
    });
    await this.em.flush();
    return { ...toSubscriptionView(subscription), secret };
  }

  async load(ctx: RequestCtx, id: string): Promise<WebhookSubscription> {
    const subscription = await this.em.findOne(WebhookSubscription, { id, workspaceId: ctx.workspaceId });
    if (!subscription) throw subscriptionNotFound();
    return subscription;
  }

  /**
   * The URL on its own, then what its name resolves to now. A name that does not resolve yet is
   * accepted: every delivery checks the address it connects to anyway.
   */
  private async assertAllowedUrl(raw: string): Promise<void> {
    const env = this.config.env;
    const problem = urlProblem(raw, { httpsOnly: env.NODE_ENV === 'production', allowPrivate: env.ALLOW_PRIVATE_WEBHOOK_URLS });
    if (problem) throw invalidWebhookUrl(problem);
    const host = new URL(raw).hostname;
    if (env.ALLOW_PRIVATE_WEBHOOK_URLS || hostAddress(host)) return;
    const addresses = await lookup(host, { all: true }).catch(() => []);
    const refused = addresses.map((a) => blockedAddressReason(a.address)).find(Boolean);
    if (refused) throw invalidWebhookUrl(`resolves to ${refused}`);
  }
}
