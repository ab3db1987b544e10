import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export const IDEMPOTENCY_TTL_HOURS = 24;

export type Claim =
  | { kind: 'claimed' }
  | { kind: 'running'; fingerprint: string }
  | { kind: 'done'; fingerprint: string; statusCode: number; response: unknown };

/** Rows in `idempotency_keys`; the primary key makes the first claim win under concurrency. */
@Injectable()
export class IdempotencyStore {
  constructor(private readonly em: EntityManager) {}

  private get db() {
    return this.em.getConnection();
  }

  async claim(scope: string, key: string, fingerprint: string): Promise<Claim> {
    // An expired row is taken over as if it were absent.
    const inserted = await this.db.execute<{ key: string }[]>(
      `insert into idempotency_keys (scope, key, fingerprint, state, expires_at)
       values (?, ?, ?, 'running', now() + interval '${IDEMPOTENCY_TTL_HOURS} hours')
       on conflict (scope, key) do update set fingerprint = excluded.fingerprint, state = 'running', status_code = null, response = null,
         created_at = now(), expires_at = excluded.expires_at
         where idempotency_keys.expires_at < now()
       returning key`,
      [scope, key, fingerprint],
    );
    if (inserted.length) return { kind: 'claimed' };
    const [row] = await this.db.execute<{ fingerprint: string; state: string; status_code: number; response: unknown }[]>(
      'select fingerprint, state, status_code, response from idempotency_keys where scope = ? and key = ?',
      [scope, key],
    );
    if (!row) return this.claim(scope, key, fingerprint);
    return row.state === 'done'
      ? { kind: 'done', fingerprint: row.fingerprint, statusCode: row.status_code, response: row.response }
      : { kind: 'running', fingerprint: row.fingerprint };
  }

  async complete(scope: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.db.execute("update idempotency_keys set state = 'done', status_code = ?, response = ?::jsonb where scope = ? and key = ?", [
      statusCode,
      JSON.stringify(response ?? null),
      scope,
      key,
    ]);
  }

  /** Deletes keys past their 24 h; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.db.execute<{ n: number }[]>('with d as (delete from idempotency_keys where expires_at < now() returning 1) select count(*)::int as n from d');
    return rows[0].n;
  }

  /** A failed first attempt leaves nothing behind, so the client may retry with the same key. */
  async release(scope: string, key: string): Promise<void> {
    await this.db.execute("delete from idempotency_keys where scope = ? and key = ? and state = 'running'", [scope, key]);
  }
}
