import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { JOBS, QUEUES, requeueRows, scheduleRepeatable } from '../../../common/queues';
import { AppConfig } from '../../../config';
import { reportSweep } from '../../../infrastructure/metrics/metrics';
import { WebhookIngestService } from '../webhook-ingest.service';
import { LedgerRepository } from './ledger.repository';

export const LEDGER_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;
export const SWEEP_AFTER_MS = 30_000;

/** The ledger's safety nets: re-enqueue what Redis lost, create partitions ahead, expire old events. */
@Injectable()
export class LedgerMaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(LedgerMaintenanceService.name);

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly ingest: WebhookIngestService,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.webhooks) private readonly webhooks: Queue,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.isWorker) return;
    scheduleRepeatable(this.webhooks, JOBS.webhooks.sweep, { every: 15_000 });
    scheduleRepeatable(this.maintenance, JOBS.maintenance.ledgerRetention, { cron: '17 3 * * *' });
  }

  /**
   * Re-enqueues events still `pending` after `olderThanMs` (Redis outage or crash between commit and
   * enqueue) whose job is gone; returns how many. Bounded: an event whose processing already started
   * WEBHOOK_MAX_ATTEMPTS times (each job's retries end in `failed`, a crash mid-run does not) ends
   * `failed` here instead of going round forever.
   */
  async sweep(olderThanMs = SWEEP_AFTER_MS): Promise<number> {
    const stale = await this.ledger.stalePending(olderThanMs);
    const requeued = await requeueRows(this.webhooks, stale, async (row) => {
      if (row.attempts < this.config.env.WEBHOOK_MAX_ATTEMPTS) return this.ingest.enqueue(row.workspace_id, row.id, row.received_at);
      await this.ledger.finish(row.id, 'failed', `gave up after ${row.attempts} processing attempts`);
      return 'skipped' as const;
    });
    if (requeued) this.logger.log(`re-enqueued ${requeued} pending webhook event(s)`);
    return requeued;
  }

  async retention(now = new Date()) {
    await this.ledger.ensurePartitions(now, 3);
    const result = await this.ledger.applyRetention(new Date(now.getTime() - LEDGER_RETENTION_DAYS * DAY_MS));
    reportSweep('ledger_partitions', result.droppedPartitions.length);
    reportSweep('ledger_rows', result.deletedRows);
    this.logger.log(`ledger retention: dropped ${result.droppedPartitions.length} partition(s), deleted ${result.deletedRows} row(s)`);
    return result;
  }
}
