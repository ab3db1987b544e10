import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DOMAIN_EVENTS, DomainEventMap, DomainEventName } from '../../../common/events';
import { WebhookDeliveriesService } from '../webhook-deliveries.service';

/**
 * Every domain event (already committed) becomes one delivery row and job per matching active
 * subscription; the attempt itself happens on a worker.
 */
@Injectable()
export class WebhookDomainEventsListener implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(WebhookDomainEventsListener.name);
  private readonly handlers = DOMAIN_EVENTS.map((name) => [name, (payload: DomainEventMap[DomainEventName]) => void this.fanOut(name, payload)] as const);

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  onModuleInit() {
    for (const [name, handler] of this.handlers) this.emitter.on(name, handler);
  }

  onModuleDestroy() {
    for (const [name, handler] of this.handlers) this.emitter.off(name, handler);
  }

  private async fanOut(name: DomainEventName, payload: DomainEventMap[DomainEventName]) {
    try {
      await this.deliveries.fanOut(name, payload);
    } catch (e) {
      this.logger.error(`webhook deliveries for ${name} not created: ${(e as Error).message}`);
    }
  }
}
