export * from './queue-names';
export { workerOnly, apiOnly } from './app-role';
export { enqueueSafely, freeJobId, scheduleRepeatable } from './enqueue';
