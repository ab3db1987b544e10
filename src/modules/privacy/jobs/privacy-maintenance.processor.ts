import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { RetentionService } from '../retention/retention.service';
import { WorkspacePurgeService } from '../retention/workspace-purge.service';

const clock = (now?: string) => (now ? new Date(now) : new Date());

/** The privacy module's repeatable jobs on the maintenance queue (each runs once per cluster). */
@Processor(QUEUES.maintenance)
export class PrivacyMaintenanceProcessor {
  constructor(
    private readonly retention: RetentionService,
    private readonly purge: WorkspacePurgeService,
  ) {}

  @Process({ name: JOBS.maintenance.retention, concurrency: 1 })
  retain(job: Job<JobPayloads['privacy.retention']>) {
    return this.retention.run(clock(job.data?.now));
  }

  @Process({ name: JOBS.maintenance.purgeClosedWorkspaces, concurrency: 1 })
  purgeClosed(job: Job<JobPayloads['workspaces.purge-closed']>) {
    return this.purge.purgeDue(clock(job.data?.now));
  }
}
