import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export const IDEMPOTENCY_TTL_HOURS = 24;

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'busy' }
  | { kind: 'done'; fingerprint: string; statusCode: number; response: unknown };

/**
 * Rows in `idempotency_keys`. A key is claimed by a transaction-scoped advisory lock inside the
 * request's own transaction, and its row is written as `done` in that same transaction: the claim
 * lives exactly as long as the work. A crashed process's lock dies with its connection and leaves
 * no row, so a retry runs the request. A committed `running` row can only be a claim left by an
 * earlier version that claimed outside the transaction; it is taken over like an absent one.
 */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly em: EntityManager) {}

  /** Must run inside the request's transaction (`em.execute` joins it). */
  async claim(scope: string, key: string): Promise<Claim> {
    const [lock] = await this.em.execute<{ locked: boolean }[]>("select pg_try_advisory_xact_lock(hashtextextended(? || '|' || ?, 0)) as locked", [scope, key]);
    if (!lock.locked) return { kind: 'busy' };
    const [row] = await this.em.execute<{ fingerprint: string; status_code: number; response: unknown }[]>(
      "select fingerprint, status_code, response from idempotency_keys where scope = ? and key = ? and state = 'done' and expires_at >= now()",
      [scope, key],
    );
    return row ? { kind: 'done', fingerprint: row.fingerprint, statusCode: row.status_code, response: row.response } : { kind: 'claimed' };
  }

  /** In the request's transaction, so the answer is stored if and only if the work commits. */
  async complete(scope: string, key: string, fingerprint: string, statusCode: number, response: unknown): Promise<void> {
    await this.em.execute(
      `insert into idempotency_keys (scope, key, fingerprint, state, status_code, response, expires_at)
       values (?, ?, ?, 'done', ?, ?::jsonb, now() + interval '${IDEMPOTENCY_TTL_HOURS} hours')
       on conflict (scope, key) do update set fingerprint = excluded.fingerprint, state = 'done', status_code = excluded.status_code,
         response = excluded.response, created_at = now(), expires_at = excluded.expires_at`,
      [scope, key, fingerprint, statusCode, JSON.stringify(response ?? null)],
    );
  }

  /** Deletes keys past their 24 h; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.em.fork().execute<{ n: number }[]>('with d as (delete from idempotency_keys where expires_at < now() returning 1) select count(*)::int as n from d');
    return rows[0].n;
  }
}
