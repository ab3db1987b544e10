import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * A list parameter for raw SQL, written `in (select jsonb_array_elements_text(?::jsonb))` (add
 * `::uuid` for ids): the query builder would expand a JS array into a value list, which breaks on
 * an empty one.
 */
export const sqlList = (values: readonly string[]): string => JSON.stringify(values);

/** Runs a DELETE or UPDATE on `em`'s transaction and answers how many rows it touched. */
export async function countAffected(em: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const rows = await em.execute<{ n: number }[]>(`with d as (${sql} returning 1) select count(*)::int as n from d`, params);
  return rows[0].n;
}
