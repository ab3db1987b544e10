import type { EntityManager } from '@mikro-orm/postgresql';

export interface TenantTable {
  name: string;
  /** Primary-key columns with their SQL types, for keyset paging. */
  key: { column: string; type: string }[];
  /** Every column with its SQL type. */
  columns: { column: string; type: string }[];
}

/**
 * Every table of the schema that has a `workspace_id` column (partitions through their parent),
 * read from the database catalog so tables added later are covered without a code change. Ordered
 * so that a table comes before the tables it references (children before parents), which is a
 * safe delete order even for foreign keys that are not deferrable.
 */
export async function tenantTables(em: EntityManager): Promise<TenantTable[]> {
  const columns = await em.execute<{ table_name: string; column_name: string; type: string; pk: boolean }[]>(`
    select c.relname as table_name, a.attname as column_name, format_type(a.atttypid, a.atttypmod) as type,
           coalesce(a.attnum = any(i.indkey), false) as pk
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
    left join pg_index i on i.indrelid = c.oid and i.indisprimary
    where c.relkind in ('r', 'p') and not c.relispartition
      and exists (select 1 from pg_attribute w where w.attrelid = c.oid and w.attname = 'workspace_id' and not w.attisdropped)
    order by c.relname, a.attnum`);
  const tables = new Map<string, TenantTable>();
  for (const row of columns) {
    const table = tables.get(row.table_name) ?? { name: row.table_name, key: [], columns: [] };
    table.columns.push({ column: row.column_name, type: row.type });
    if (row.pk) table.key.push({ column: row.column_name, type: row.type });
    tables.set(row.table_name, table);
  }
  const edges = await em.execute<{ child: string; parent: string }[]>(`
    select distinct c.relname as child, p.relname as parent
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and c.oid <> p.oid`);
  return childrenFirst([...tables.values()], edges);
}

function childrenFirst(tables: TenantTable[], edges: { child: string; parent: string }[]): TenantTable[] {
  const names = new Set(tables.map((t) => t.name));
  const children = new Map<string, string[]>();
  for (const { child, parent } of edges) if (names.has(child) && names.has(parent)) children.set(parent, [...(children.get(parent) ?? []), child]);
  const out: TenantTable[] = [];
  const done = new Set<string>();
  const visiting = new Set<string>();
  const byName = new Map(tables.map((t) => [t.name, t]));
  // Depth-first: a table is emitted after everything that references it; cycles are cut.
  const visit = (name: string) => {
    if (done.has(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const child of children.get(name) ?? []) visit(child);
    visiting.delete(name);
    done.add(name);
    out.push(byName.get(name)!);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t.name);
  return out;
}

/** Tables without a `workspace_id` whose rows belong to a workspace through its channels (the ledger's dedupe keys). */
export async function channelKeyedTables(em: EntityManager): Promise<string[]> {
  const rows = await em.execute<{ table_name: string }[]>(`
    select c.relname as table_name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema()
    where c.relkind in ('r', 'p') and not c.relispartition
      and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'channel_id' and not a.attisdropped)
      and not exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'workspace_id' and not a.attisdropped)
    order by 1`);
  return rows.map((r) => r.table_name);
}

/** The `workspaces` table itself, described like a tenant table (keyed by `id`). */
export async function workspaceTable(em: EntityManager): Promise<TenantTable> {
  const columns = await em.execute<{ column: string; type: string }[]>(`
    select a.attname as column, format_type(a.atttypid, a.atttypmod) as type from pg_attribute a
    where a.attrelid = 'workspaces'::regclass and a.attnum > 0 and not a.attisdropped order by a.attnum`);
  return { name: 'workspaces', key: [{ column: 'id', type: 'uuid' }], columns };
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
