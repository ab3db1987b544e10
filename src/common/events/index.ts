export * from './domain-events';
export { DomainEventsSubscriber } from './domain-events.subscriber';
