import { Module } from '@nestjs/common';
import { apiOnly } from '../../common/queues';
import { WorkspacesModule } from '../workspaces';
import { EventHub } from './event-hub.service';
import { EventLog } from './event-log.service';
import { EventsStreamController } from './events-stream.controller';
import { EventsStreamService } from './events-stream.service';
import { EVENT_HUB } from './events-stream.tokens';
import { DomainEventsLogListener } from './listeners/domain-events-log.listener';
import { StreamTokenStrategy } from './stream-token.strategy';
import { StreamTokensService } from './stream-tokens.service';

/** Live domain events over SSE for agents' clients, fanned out across API processes through Redis. */
@Module({
  imports: [WorkspacesModule],
  controllers: apiOnly(EventsStreamController),
  // The strategy is registered in every role: the auth guard names it wherever it runs.
  providers: [EventLog, EventHub, EventsStreamService, StreamTokensService, StreamTokenStrategy, DomainEventsLogListener, { provide: EVENT_HUB, useExisting: EventHub }],
})
export class EventsStreamModule {}
