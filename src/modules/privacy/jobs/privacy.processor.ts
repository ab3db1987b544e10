import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { PrivacyJobsService } from '../privacy-jobs.service';
import { PrivacyRequestsService } from '../privacy-requests.service';
import { WorkspaceExportsService } from '../workspace-exports.service';

interface Outcome {
  markFailed(workspaceId: string, id: string, error: string): Promise<void>;
  markRetrying(workspaceId: string, id: string): Promise<void>;
}

/** Runs a job; Bull retries a failure, and after the last attempt the row says `failed` and why. */
async function withOutcome(job: Job, workspaceId: string, id: string, outcome: Outcome, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (e) {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await (last ? outcome.markFailed(workspaceId, id, (e as Error).message) : outcome.markRetrying(workspaceId, id));
    throw e;
  }
}

@Processor(QUEUES.privacy)
export class PrivacyProcessor {
  constructor(
    private readonly requests: PrivacyRequestsService,
    private readonly exports: WorkspaceExportsService,
    private readonly jobs: PrivacyJobsService,
  ) {}

  @Process({ name: JOBS.privacy.request, concurrency: 2 })
  request(job: Job<JobPayloads['privacy.request']>) {
    const { workspaceId, requestId } = job.data;
    return withOutcome(job, workspaceId, requestId, this.requests, () => this.requests.run(workspaceId, requestId));
  }

  @Process({ name: JOBS.privacy.export, concurrency: 1 })
  export(job: Job<JobPayloads['privacy.export']>) {
    const { workspaceId, exportId } = job.data;
    return withOutcome(job, workspaceId, exportId, this.exports, () => this.exports.run(workspaceId, exportId));
  }

  @Process({ name: JOBS.privacy.sweep, concurrency: 1 })
  sweep() {
    return this.jobs.sweep();
  }
}
