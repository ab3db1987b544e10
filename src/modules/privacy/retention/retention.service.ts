import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable, Logger } from '@nestjs/common';
import { reportSweep } from '../../../infrastructure/metrics/metrics';
import { countAffected } from '../../../infrastructure/database';
import { FileStorage, InjectFileStorage } from '../../../infrastructure/storage';
import { WorkspacesRetentionService } from '../../workspaces';

/** Identifiable usage (per-member days, client events) is kept this many months; daily aggregates stay. */
export const USAGE_RETENTION_MONTHS = 12;

export type RetentionCounts = Record<'usage_member_days' | 'usage_events' | 'invitations' | 'refresh_tokens' | 'exports' | 'access_documents', number>;

/**
 * The daily retention job (one run per cluster: a Bull repeatable job). The raw ledger's 90 days
 * (partition drop) and Idempotency-Key answers' 24 h have their own jobs; this covers the rest.
 * Each count is logged and exported in /metrics as retention_removed_total{sweep}.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly em: EntityManager,
    private readonly workspaces: WorkspacesRetentionService,
    @InjectFileStorage() private readonly storage: FileStorage,
  ) {}

  async run(now = new Date()): Promise<RetentionCounts> {
    const em = this.em.fork();
    // Whole months back from today's UTC date: a row exactly 12 months old is kept, one a day older goes.
    const cutoff = `(?::date - interval '${USAGE_RETENTION_MONTHS} months')::date`;
    const today = now.toISOString().slice(0, 10);
    const counts: RetentionCounts = {
      usage_member_days: await countAffected(em, `delete from usage_member_days where date < ${cutoff}`, [today]),
      usage_events: await countAffected(em, `delete from usage_events where created_at::date < ${cutoff}`, [today]),
      invitations: await this.workspaces.purgeExpiredInvitations(now),
      refresh_tokens: await this.workspaces.purgeExpiredRefreshTokens(now),
      exports: await this.expireFiles(em, 'exports', 'storage_key', ", status = 'expired'", now),
      access_documents: await this.expireFiles(em, 'privacy_requests', 'document_key', '', now),
    };
    for (const [sweep, n] of Object.entries(counts)) reportSweep(sweep, n);
    this.logger.log(`retention: ${Object.entries(counts).map(([k, n]) => `${k}=${n}`).join(' ')}`);
    return counts;
  }

  /** Deletes expired downloads' files; the rows stay as the record of what was asked and done. */
  private async expireFiles(em: EntityManager, table: 'exports' | 'privacy_requests', column: 'storage_key' | 'document_key', extraSet: string, now: Date): Promise<number> {
    const rows = await em.execute<{ id: string; key: string }[]>(`select id, ${column} as key from ${table} where ${column} is not null and expires_at <= ? limit 1000`, [now]);
    for (const row of rows) {
      await this.storage.delete(row.key);
      await em.execute(`update ${table} set ${column} = null${extraSet} where id = ?`, [row.id]);
    }
    return rows.length;
  }
}
