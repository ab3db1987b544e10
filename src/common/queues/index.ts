export * from './queue-names';
export { workerOnly, apiOnly } from './app-role';
export { enqueueSafely, freeJobId, requeueRows, scheduleRepeatable } from './enqueue';
