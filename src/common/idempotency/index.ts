export { IdempotencyInterceptor } from './idempotency.interceptor';
export { IdempotencyStore } from './idempotency.store';
export { IdempotencyModule } from './idempotency.module';
