import { Injectable, OnModuleInit } from '@nestjs/common';
import { InboundConsumerRegistry } from '../../channels';
import { DeliveryStatusService } from './delivery-status.service';

/** Delivery statuses arrive on the same webhooks as inbound messages; this consumer takes them. */
@Injectable()
export class DeliveryStatusListener implements OnModuleInit {
  constructor(
    private readonly registry: InboundConsumerRegistry,
    private readonly statuses: DeliveryStatusService,
  ) {}

  onModuleInit() {
    this.registry.register({ name: 'delivery-status', consume: (event, parsed) => this.statuses.consume(event, parsed) });
  }
}
