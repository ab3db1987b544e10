import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { newId } from '../../../infrastructure/database';

export type LedgerStatus = 'pending' | 'processed' | 'ignored' | 'failed';

export interface LedgerRow {
  id: string;
  workspace_id: string;
  channel_id: string;
  kind: string;
  received_at: Date;
  dedupe_keys: string[];
  raw_body: string;
  status: LedgerStatus;
  reason: string | null;
  attempts: number;
  result: unknown;
  processed_at: Date | null;
}

export interface NewLedgerEvent {
  workspaceId: string;
  channelId: string;
  kind: string;
  dedupeKeys: string[];
  rawBody: string;
  status: 'pending' | 'ignored';
  reason?: string;
}

const NO_PARTITION = /no partition of relation/i;

/** MikroORM's PostgreSQL connection keeps timestamptz values as strings; raw rows get real Dates here. */
const toDate = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));
function hydrate<R extends Partial<Pick<LedgerRow, 'received_at' | 'processed_at'>>>(row: R): R {
  if (row.received_at != null) row.received_at = toDate(row.received_at);
  if (row.processed_at != null) row.processed_at = toDate(row.processed_at);
  return row;
}

/**
 * The raw inbound ledger in plain SQL: one statement claims the dedupe keys and inserts the event,
 * so 20 concurrent copies of a delivery produce one row.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getConnection();
  }

  /** Returns the stored event, or null when every dedupe key was seen before (a redelivery). */
  async insert(e: NewLedgerEvent, receivedAt = new Date()): Promise<{ id: string; receivedAt: Date } | null> {
    const id = newId();
    const sql = `
      with keys as (
        insert into webhook_dedupe (workspace_id, channel_id, key, event_id, received_at)
        select ?, ?, k, ?, ? from jsonb_array_elements_text(?::jsonb) as k
        on conflict (workspace_id, channel_id, key) do nothing
        returning key
      ), ins as (
        insert into webhook_events (id, workspace_id, channel_id, kind, received_at, dedupe_keys, raw_body, status, reason)
        select ?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?
        where jsonb_array_length(?::jsonb) = 0 or exists (select 1 from keys)
        returning id
      )
      select count(*)::int as inserted from ins`;
    // Arrays travel as JSON: the query builder would expand a JS array into a value list.
    const keys = JSON.stringify(e.dedupeKeys);
    const params = [e.workspaceId, e.channelId, id, receivedAt, keys, id, e.workspaceId, e.channelId, e.kind, receivedAt, keys, e.rawBody, e.status, e.reason ?? null, keys];
    let rows: { inserted: number }[];
    try {
      rows = await this.db.execute(sql, params);
    } catch (err) {
      if (!NO_PARTITION.test((err as Error).message)) throw err;
      // The daily job creates partitions ahead; this covers a job that has not run yet.
      await this.ensurePartitions(receivedAt, 2);
      rows = await this.db.execute(sql, params);
    }
    return rows[0].inserted ? { id, receivedAt } : null;
  }

  find(id: string, workspaceId?: string): Promise<LedgerRow | null> {
    const sql = `select * from webhook_events where id = ?${workspaceId ? ' and workspace_id = ?' : ''} limit 1`;
    return this.db.execute<LedgerRow[]>(sql, workspaceId ? [id, workspaceId] : [id]).then((r) => (r[0] ? hydrate(r[0]) : null));
  }

  list(q: { workspaceId: string; channelId: string; status?: LedgerStatus; beforeId?: string; limit: number }): Promise<LedgerRow[]> {
    const where = ['workspace_id = ?', 'channel_id = ?'];
    const params: unknown[] = [q.workspaceId, q.channelId];
    if (q.status) {
      where.push('status = ?');
      params.push(q.status);
    }
    if (q.beforeId) {
      where.push('id < ?');
      params.push(q.beforeId);
    }
    params.push(q.limit);
    return this.db.execute<LedgerRow[]>(`select * from webhook_events where ${where.join(' and ')} order by id desc limit ?`, params).then((r) => r.map(hydrate));
  }

  async markAttempt(id: string): Promise<void> {
    await this.db.execute('update webhook_events set attempts = attempts + 1 where id = ?', [id]);
  }

  async finish(id: string, status: LedgerStatus, reason: string | null, result?: unknown): Promise<void> {
    await this.db.execute('update webhook_events set status = ?, reason = ?, result = ?::jsonb, processed_at = now() where id = ?', [
      status,
      reason,
      result === undefined ? null : JSON.stringify(result),
      id,
    ]);
  }

  /** Back to `pending` so the processor runs it again (replay); returns false when unknown. */
  async reset(id: string, workspaceId: string): Promise<boolean> {
    const rows = await this.db.execute<{ id: string }[]>(
      "update webhook_events set status = 'pending', reason = null, attempts = 0 where id = ? and workspace_id = ? returning id",
      [id, workspaceId],
    );
    return rows.length > 0;
  }

  /** Rows left `pending` longer than `olderThanMs` (their job never ran or was lost). */
  stalePending(olderThanMs: number, limit = 500): Promise<Pick<LedgerRow, 'id' | 'workspace_id' | 'received_at' | 'attempts'>[]> {
    return this.db
      .execute<Pick<LedgerRow, 'id' | 'workspace_id' | 'received_at' | 'attempts'>[]>(
        `select id, workspace_id, received_at, attempts from webhook_events
         where status = 'pending' and received_at < now() - (? * interval '1 millisecond')
         order by received_at limit ?`,
        [olderThanMs, limit],
      )
      .then((r) => r.map(hydrate));
  }

  async ensurePartitions(from: Date, months: number): Promise<void> {
    await this.db.execute('select ensure_webhook_event_partitions(?::date, ?)', [from.toISOString().slice(0, 10), months]);
  }

  /**
   * 90-day retention: drops partitions that end on or before the cutoff, deletes the older rows of
   * the partition that straddles it, and forgets dedupe keys as old.
   */
  async applyRetention(cutoff: Date): Promise<{ droppedPartitions: string[]; deletedRows: number; deletedKeys: number }> {
    const expired = await this.db.execute<{ name: string }[]>(
      `select name from (
         select c.relname as name,
                (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz as upper
         from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
         where p.relname = 'webhook_events') parts
       where upper <= ? order by name`,
      [cutoff],
    );
    const dropped: string[] = [];
    for (const { name } of expired) {
      await this.db.execute(`drop table if exists "${name.replace(/"/g, '')}"`);
      dropped.push(name);
    }
    const deleted = await this.db.execute<{ n: number }[]>('with d as (delete from webhook_events where received_at < ? returning 1) select count(*)::int as n from d', [cutoff]);
    const keys = await this.db.execute<{ n: number }[]>('with d as (delete from webhook_dedupe where received_at < ? returning 1) select count(*)::int as n from d', [cutoff]);
    return { droppedPartitions: dropped, deletedRows: deleted[0].n, deletedKeys: keys[0].n };
  }
}
