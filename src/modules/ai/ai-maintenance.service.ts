import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueueSafely, JOBS, QUEUES, requeueRows, scheduleRepeatable } from '../../common/queues';
import { AppConfig } from '../../config';
import { aiJobOptions } from './ai-jobs';

export const AI_SWEEP_EVERY_MS = 30_000;
/** A pending artifact untouched this long has lost its job (Redis outage, crash before enqueue). */
export const AI_SWEEP_AFTER_MS = 30_000;
/** After this, a pending artifact is given up on: the person asked too long ago to still be waiting. */
export const AI_GIVE_UP_AFTER_MS = 3600_000;
const BATCH = 500;

/** The AI safety net: pending artifacts whose job never ran are enqueued again, very old ones failed. */
@Injectable()
export class AiMaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AiMaintenanceService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.ai) private readonly queue: Queue,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.isWorker) return;
    scheduleRepeatable(this.queue, JOBS.ai.sweep, { every: AI_SWEEP_EVERY_MS });
  }

  async sweep(olderThanMs = AI_SWEEP_AFTER_MS): Promise<number> {
    const em = this.em.fork();
    await em.execute(
      `update ai_artifacts set status = 'failed', reason = 'no worker produced it in time', updated_at = now() where status = 'pending' and created_at < ?`,
      [new Date(Date.now() - AI_GIVE_UP_AFTER_MS)],
    );
    const rows = await em.execute<{ id: string; workspace_id: string }[]>(
      `select id, workspace_id from ai_artifacts where status = 'pending' and updated_at < ? order by updated_at limit ?`,
      [new Date(Date.now() - olderThanMs), BATCH],
    );
    const requeued = await requeueRows(this.queue, rows, (row) =>
      enqueueSafely(this.queue, JOBS.ai.generate, { workspaceId: row.workspace_id, artifactId: row.id }, aiJobOptions(row.id)),
    );
    if (requeued) this.logger.log(`re-enqueued ${requeued} pending AI artifact(s)`);
    return requeued;
  }
}
