import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { FileStorage, InjectFileStorage } from '../../../infrastructure/storage';
import { reportSweep } from '../../../infrastructure/metrics/metrics';
import { WorkspacesRetentionService } from '../../workspaces';
import { channelKeyedTables, quoteIdent, tenantTables } from '../workspace-catalog';

/**
 * Deletes closed workspaces 30 days after closure with everything in them: every table with a
 * `workspace_id` (found in the catalog, children before parents), rows keyed through its channels,
 * its stored Idempotency-Key answers, and its files (all stored under `<workspaceId>/`).
 */
@Injectable()
export class WorkspacePurgeService {
  private readonly logger = new Logger(WorkspacePurgeService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly workspaces: WorkspacesRetentionService,
    @InjectFileStorage() private readonly storage: FileStorage,
  ) {}

  /** Purges every workspace whose restore period ended by `now`; returns their ids. */
  async purgeDue(now = new Date()): Promise<string[]> {
    const due = await this.workspaces.dueForDeletion(now);
    for (const id of due) await this.purge(id);
    reportSweep('closed_workspaces', due.length);
    if (due.length) this.logger.log(`deleted ${due.length} closed workspace(s) 30 days after closure`);
    return due;
  }

  private async purge(workspaceId: string): Promise<void> {
    const em = this.em.fork();
    const tables = await tenantTables(em);
    const channelKeyed = await channelKeyedTables(em);
    await em.transactional(async (tx) => {
      for (const table of channelKeyed) {
        await tx.execute(`delete from ${quoteIdent(table)} where channel_id in (select id from channels where workspace_id = ?)`, [workspaceId]);
      }
      // Idempotency scopes name the route's parameters, the workspace id among them.
      await tx.execute('delete from idempotency_keys where scope like ?', [`%"wid":"${workspaceId}"%`]);
      for (const table of tables) {
        if (table.name !== 'workspaces') await tx.execute(`delete from ${quoteIdent(table.name)} where workspace_id = ?`, [workspaceId]);
      }
      await tx.execute('delete from workspaces where id = ?', [workspaceId]);
    });
    // After the commit: a failed transaction keeps the files for the next run.
    await this.storage.deletePrefix(workspaceId);
    this.logger.log(`workspace ${workspaceId} deleted with its files`);
  }
}
