import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { enqueueSafely, JOBS, QUEUES, requeueRows, scheduleRepeatable } from '../../../common/queues';
import { AppConfig } from '../../../config';
import { outboundJobOptions } from './outbound-jobs';

export const OUTBOUND_SWEEP_EVERY_MS = 30_000;
export const OUTBOUND_SWEEP_AFTER_MS = 30_000;
const BATCH = 500;

/**
 * The outbound safety net: a message committed as `queued` whose job Redis never got (outage,
 * restart, crash between commit and enqueue) is enqueued again. Its job id is the message id, so
 * this never creates a second job for a message whose job is still alive.
 */
@Injectable()
export class OutboundMaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboundMaintenanceService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.outbound) private readonly queue: Queue,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.isWorker) return;
    scheduleRepeatable(this.queue, JOBS.outbound.sweep, { every: OUTBOUND_SWEEP_EVERY_MS });
  }

  /** Re-enqueues `queued` messages untouched for `olderThanMs` whose job is gone; returns how many. */
  async sweep(olderThanMs = OUTBOUND_SWEEP_AFTER_MS): Promise<number> {
    const rows = await this.em.fork().execute<{ id: string; workspace_id: string }[]>(
      `select id, workspace_id from messages
       where status = 'queued' and direction = 'outbound' and updated_at < ? order by updated_at limit ?`,
      [new Date(Date.now() - olderThanMs), BATCH],
    );
    const requeued = await requeueRows(this.queue, rows, (row) =>
      enqueueSafely(this.queue, JOBS.outbound.send, { workspaceId: row.workspace_id, messageId: row.id }, outboundJobOptions(this.config.env, row.id)),
    );
    if (requeued) this.logger.log(`re-enqueued ${requeued} queued outbound message(s)`);
    return requeued;
  }
}
