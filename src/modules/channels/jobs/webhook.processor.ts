import { Process, Processor } from '@nestjs/bull';
import { Logger } from '@nestjs/common';
import type { Job } from 'bull';
import { JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { LedgerProcessingService } from '../ledger/ledger-processing.service';
import { LedgerMaintenanceService } from '../ledger/ledger-maintenance.service';

/** Runs each stored webhook through its adapter and the consumers; retries with backoff, then `failed`. */
@Processor(QUEUES.webhooks)
export class WebhookProcessor {
  private readonly logger = new Logger(WebhookProcessor.name);

  constructor(
    private readonly processing: LedgerProcessingService,
    private readonly maintenance: LedgerMaintenanceService,
  ) {}

  @Process({ name: JOBS.webhooks.process, concurrency: 8 })
  async process(job: Job<JobPayloads['webhook.process']>) {
    try {
      return await this.processing.process(job.data.eventId, job.data.workspaceId);
    } catch (e) {
      const message = (e as Error).message;
      const attempts = job.opts.attempts ?? 1;
      if (job.attemptsMade + 1 >= attempts) await this.processing.markFailed(job.data.eventId, message);
      this.logger.warn(`webhook event ${job.data.eventId} attempt ${job.attemptsMade + 1}/${attempts} failed: ${message}`);
      throw e;
    }
  }

  @Process({ name: JOBS.webhooks.sweep, concurrency: 1 })
  sweep() {
    return this.maintenance.sweep();
  }
}
