import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { WebhookDeliveriesService } from '../webhook-deliveries.service';
import { WebhookDeliveryRunner } from '../webhook-delivery.runner';

/** Attempts deliveries (a RetryDelivery from the runner makes Bull run the job again later) and sweeps. */
@Processor(QUEUES.webhookDeliveries)
export class WebhookDeliveryProcessor {
  constructor(
    private readonly runner: WebhookDeliveryRunner,
    private readonly deliveries: WebhookDeliveriesService,
  ) {}

  @Process({ name: JOBS.webhookDeliveries.deliver, concurrency: 8 })
  deliver(job: Job<JobPayloads['webhook-delivery.deliver']>) {
    return this.runner.attempt(job.data.workspaceId, job.data.deliveryId);
  }

  @Process({ name: JOBS.webhookDeliveries.sweep, concurrency: 1 })
  sweep() {
    return this.deliveries.sweep();
  }
}
