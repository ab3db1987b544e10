import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DOMAIN_EVENTS, DomainEventMap, DomainEventName } from '../../../common/events';
import { EventLog } from '../event-log.service';

/** Whichever process (API or worker) commits a change appends its event to the cluster's event log. */
@Injectable()
export class DomainEventsLogListener implements OnModuleInit, OnModuleDestroy {
  private readonly handlers = DOMAIN_EVENTS.map((name) => [name, (payload: DomainEventMap[DomainEventName]) => void this.log.append(name, payload)] as const);

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly log: EventLog,
  ) {}

  onModuleInit() {
    for (const [name, handler] of this.handlers) this.emitter.on(name, handler);
  }

  onModuleDestroy() {
    for (const [name, handler] of this.handlers) this.emitter.off(name, handler);
  }
}
