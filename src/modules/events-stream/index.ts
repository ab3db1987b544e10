export { EventsStreamModule } from './events-stream.module';
export { EVENT_HUB } from './events-stream.tokens';
