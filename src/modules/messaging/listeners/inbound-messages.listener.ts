import { Injectable, OnModuleInit } from '@nestjs/common';
import { InboundConsumerRegistry } from '../../channels';
import { InboundMessagesService } from '../inbound-messages.service';

/** Channels hand every parsed webhook to its registered consumers; messaging is one of them. */
@Injectable()
export class InboundMessagesListener implements OnModuleInit {
  constructor(
    private readonly registry: InboundConsumerRegistry,
    private readonly inbound: InboundMessagesService,
  ) {}

  onModuleInit() {
    this.registry.register({ name: 'messaging', consume: (event, parsed) => this.inbound.consume(event, parsed) });
  }
}
