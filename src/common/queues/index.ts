export * from './queue-names';
export { workerOnly, apiOnly } from './app-role';
export { enqueueSafely, scheduleRepeatable } from './enqueue';
