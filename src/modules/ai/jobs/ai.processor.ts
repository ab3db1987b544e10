import { Process, Processor } from '@nestjs/bull';
import type { Job } from 'bull';
import { JOBS, JobPayloads, QUEUES } from '../../../common/queues';
import { AiGenerationService } from '../ai-generation.service';
import { AiMaintenanceService } from '../ai-maintenance.service';

/** Fills requested summaries and drafts, and sweeps for ones whose job was lost. */
@Processor(QUEUES.ai)
export class AiProcessor {
  constructor(
    private readonly generation: AiGenerationService,
    private readonly maintenance: AiMaintenanceService,
  ) {}

  @Process({ name: JOBS.ai.generate, concurrency: 4 })
  generate(job: Job<JobPayloads['ai.generate']>) {
    return this.generation.generate(job.data);
  }

  @Process({ name: JOBS.ai.sweep, concurrency: 1 })
  sweep() {
    return this.maintenance.sweep();
  }
}
