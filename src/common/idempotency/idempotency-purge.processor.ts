import { InjectQueue, Process, Processor } from '@nestjs/bull';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { AppConfig } from '../../config';
import { reportSweep } from '../../infrastructure/metrics/metrics';
import { JOBS, QUEUES, scheduleRepeatable } from '../queues';
import { IdempotencyStore } from './idempotency.store';

/** Hourly: expired Idempotency-Key answers are deleted (they are never replayed after 24 h anyway). */
@Processor(QUEUES.maintenance)
export class IdempotencyPurgeProcessor {
  constructor(private readonly store: IdempotencyStore) {}

  @Process({ name: JOBS.maintenance.purgeIdempotencyKeys, concurrency: 1 })
  async purge() {
    const removed = await this.store.purgeExpired();
    reportSweep('idempotency_keys', removed);
    return removed;
  }
}

@Injectable()
export class IdempotencyPurgeScheduler implements OnApplicationBootstrap {
  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.isWorker) return;
    scheduleRepeatable(this.maintenance, JOBS.maintenance.purgeIdempotencyKeys, { cron: '41 * * * *' });
  }
}
