export { IdempotencyInterceptor } from './idempotency.interceptor';
export { IdempotencyStore } from './idempotency.store';
export { IdempotencyModule, IDEMPOTENCY_STORE } from './idempotency.module';
