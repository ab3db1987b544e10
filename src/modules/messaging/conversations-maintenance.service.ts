import { InjectQueue } from '@nestjs/bull';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Queue } from 'bull';
import { DomainEventsSubscriber } from '../../common/events';
import { JOBS, QUEUES, scheduleRepeatable } from '../../common/queues';
import { AppConfig } from '../../config';

export const WAKE_SNOOZED_EVERY_MS = 30_000;
const BATCH = 1000;

/** Snoozed conversations come back on their own once `snoozedUntil` has passed. */
@Injectable()
export class ConversationsMaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConversationsMaintenanceService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEventsSubscriber,
    private readonly config: AppConfig,
    @InjectQueue(QUEUES.maintenance) private readonly maintenance: Queue,
  ) {}

  onApplicationBootstrap() {
    if (!this.config.isWorker) return;
    scheduleRepeatable(this.maintenance, JOBS.maintenance.wakeSnoozed, { every: WAKE_SNOOZED_EVERY_MS });
  }

  /** Reopens every workspace's conversations whose snooze has expired; returns how many. */
  async wakeSnoozed(now = new Date()): Promise<number> {
    let total = 0;
    for (;;) {
      const woken = await this.em.fork().transactional(async (tx) => {
        const rows = await tx.execute<{ id: string; workspace_id: string }[]>(
          `update conversations set status = 'open', snoozed_until = null, updated_at = ?
           where id in (select id from conversations where status = 'snoozed' and snoozed_until <= ? order by snoozed_until limit ? for update skip locked)
           returning id, workspace_id`,
          [now, now, BATCH],
        );
        for (const r of rows) this.events.emitAfterCommit(tx, 'conversation.updated', { workspaceId: r.workspace_id, conversationId: r.id, changes: ['status', 'snoozedUntil'] });
        return rows.length;
      });
      total += woken;
      if (woken < BATCH) break;
    }
    if (total) this.logger.log(`woke ${total} snoozed conversation(s)`);
    return total;
  }
}
