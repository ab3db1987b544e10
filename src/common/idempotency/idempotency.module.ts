import { BullModule } from '@nestjs/bull';
import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { QUEUES, workerOnly } from '../queues';
import { IdempotencyPurgeProcessor, IdempotencyPurgeScheduler } from './idempotency-purge.processor';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyPersonalDataHolder } from './idempotency-personal-data.holder';
import { IdempotencyStore } from './idempotency.store';

/** String token for tests, which load the app in an isolated module registry. */
export const IDEMPOTENCY_STORE = 'IDEMPOTENCY_STORE';

/** Imported before the audit module so a replayed answer is not audited twice (outermost interceptor). */
@Global()
@Module({
  imports: [BullModule.registerQueue({ name: QUEUES.maintenance })],
  providers: [
    IdempotencyStore,
    IdempotencyPurgeScheduler,
    IdempotencyPersonalDataHolder,
    ...workerOnly(IdempotencyPurgeProcessor),
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    { provide: IDEMPOTENCY_STORE, useExisting: IdempotencyStore },
  ],
})
export class IdempotencyModule {}
