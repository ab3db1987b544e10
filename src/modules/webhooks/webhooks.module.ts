import { BullModule } from '@nestjs/bull';
import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { apiOnly, QUEUES, workerOnly } from '../../common/queues';
import { WebhookDelivery } from './entities/webhook-delivery.entity';
import { WebhookSubscription } from './entities/webhook-subscription.entity';
import { deliveryQueueSettings } from './jobs/delivery-jobs';
import { WebhookDeliveryProcessor } from './jobs/webhook-delivery.processor';
import { WebhookDomainEventsListener } from './listeners/domain-events.listener';
import { WebhookClock } from './webhook-clock';
import { WebhookDeliveriesService } from './webhook-deliveries.service';
import { WebhookDeliveryRunner } from './webhook-delivery.runner';
import { WebhookSubscriptionsController } from './webhook-subscriptions.controller';
import { WebhookSubscriptionsService } from './webhook-subscriptions.service';
import { WEBHOOK_CLOCK } from './webhooks.tokens';

/** Integrators' signed outbound webhooks: subscriptions, the delivery log and the delivery worker. */
@Module({
  imports: [
    MikroOrmModule.forFeature([WebhookSubscription, WebhookDelivery]),
    BullModule.registerQueue({ name: QUEUES.webhookDeliveries, settings: deliveryQueueSettings }),
  ],
  controllers: apiOnly(WebhookSubscriptionsController),
  providers: [
    { provide: WEBHOOK_CLOCK, useClass: WebhookClock },
    WebhookSubscriptionsService,
    WebhookDeliveriesService,
    WebhookDeliveryRunner,
    WebhookDomainEventsListener,
    ...workerOnly(WebhookDeliveryProcessor),
  ],
})
export class WebhooksModule {}
