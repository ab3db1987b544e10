import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { OutboundDeliveryService, PacedRetry } from './outbound-delivery.service';
import { OutboundMaintenanceService } from './outbound-maintenance.service';

type SendJob = JobPayloads['outbound.send'] & { slotAt?: number };

/** Sends queued messages (Bull re-runs a job for retries, with the delay the delivery computed) and sweeps. */
@Processor(QUEUES.outbound)
export class OutboundProcessor {
  constructor(
    private readonly delivery: OutboundDeliveryService,
    private readonly maintenance: OutboundMaintenanceService,
  ) {}

  @Process({ name: JOBS.outbound.send, concurrency: 16 })
  async send(job: Job<SendJob>) {
    try {
      return await this.delivery.deliver(job.data);
    } catch (e) {
      // The pacing slot is already reserved: the next run uses it instead of reserving another.
      if (e instanceof PacedRetry) await job.update({ ...job.data, slotAt: e.slotAt });
      throw e;
    }
  }

  @Process({ name: JOBS.outbound.sweep, concurrency: 1 })
  sweep() {
    return this.maintenance.sweep();
  }
}
