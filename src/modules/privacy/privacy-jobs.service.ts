import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { JobOptions, Queue } from 'bull';
import { DomainEventsSubscriber } from '../../common/events';
import { enqueueSafely, JOBS, QUEUES, requeueRows, scheduleRepeatable } from '../../common/queues';
import { AppConfig } from '../../config';

export const PRIVACY_SWEEP_AFTER_MS = 30_000;
/** A failing request is tried again a few times before it is marked `failed`. */
export const PRIVACY_JOB_ATTEMPTS = 3;
const options = (jobId: string): JobOptions => ({ jobId, attempts: PRIVACY_JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: 1000, removeOnFail: 1000 });

/**
 * Enqueues privacy requests and exports after their row is committed, and re-enqueues rows left
 * `pending` whose job Redis never got (the durability rule); job ids are the row ids.
 */
@Injectable()
export class PrivacyJobsService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PrivacyJobsService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    private readonly events: DomainEventsSubscriber,
    @InjectQueue(QUEUES.privacy) private readonly queue: Queue,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.isWorker) return;
    scheduleRepeatable(this.queue, JOBS.privacy.sweep, { every: PRIVACY_SWEEP_AFTER_MS });
    scheduleRepeatable(this.maintenance, JOBS.maintenance.retention, { cron: '23 4 * * *' });
    scheduleRepeatable(this.maintenance, JOBS.maintenance.purgeClosedWorkspaces, { cron: '7 * * * *' });
  }

  /** Once the request's transaction commits (a job must never run before its row is visible). */
  request(workspaceId: string, requestId: string): void {
    this.events.afterCommit(this.em, () => void enqueueSafely(this.queue, JOBS.privacy.request, { workspaceId, requestId }, options(requestId)));
  }

  export(workspaceId: string, exportId: string): void {
    this.events.afterCommit(this.em, () => void enqueueSafely(this.queue, JOBS.privacy.export, { workspaceId, exportId }, options(exportId)));
  }

  async sweep(olderThanMs = PRIVACY_SWEEP_AFTER_MS): Promise<number> {
    const cutoff = new Date(Date.now() - olderThanMs);
    const rows = await this.em.fork().execute<{ id: string; workspace_id: string; kind: 'request' | 'export' }[]>(
      `(select id, workspace_id, 'request' as kind from privacy_requests where status = 'pending' and created_at < ? limit 200)
       union all (select id, workspace_id, 'export' as kind from exports where status = 'pending' and created_at < ? limit 200)`,
      [cutoff, cutoff],
    );
    const requeued = await requeueRows(this.queue, rows, (row) =>
      row.kind === 'request'
        ? enqueueSafely(this.queue, JOBS.privacy.request, { workspaceId: row.workspace_id, requestId: row.id }, options(row.id))
        : enqueueSafely(this.queue, JOBS.privacy.export, { workspaceId: row.workspace_id, exportId: row.id }, options(row.id)),
    );
    if (requeued) this.logger.log(`re-enqueued ${requeued} pending privacy job(s)`);
    return requeued;
  }
}
