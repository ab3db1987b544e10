import type { EntityManager } from '@mikro-orm/postgresql';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { maskPiiIn } from '../../../common/authz';
import type { FileStorage, StoredFile } from '../../../infrastructure/storage';
import { quoteIdent, TenantTable, tenantTables, workspaceTable } from '../workspace-catalog';

/** Rows read per query: memory stays flat whatever the workspace's size. */
const PAGE = 1000;
/** Secrets and derived columns never leave in an export (hashes of keys and tokens, encrypted credentials, search vectors). */
const WITHHELD_COLUMN = /^(secrets|hash|token_hash|password_hash|salt)$/;
const WITHHELD_TYPE = /^tsvector$/;
/** Columns whose values are never personal data (ids, times, numbers), left alone by masking. */
const UNMASKED_TYPE = /^(uuid|timestamp|date|integer|bigint|smallint|numeric|boolean|double|real)/;

/**
 * Writes every table of the workspace as `<table>.ndjson` into one tar.gz in file storage. Each
 * table is paged by primary key (keyset, no OFFSET) into a temporary file first, because a tar
 * entry needs its size up front; the archive is then streamed through gzip into storage.
 */
export async function writeWorkspaceExport(
  em: EntityManager,
  storage: FileStorage,
  workspaceId: string,
  key: string,
  { maskPii = false } = {},
): Promise<{ stored: StoredFile; rows: Record<string, number> }> {
  const dir = await mkdtemp(join(tmpdir(), 'nanozons-export-'));
  try {
    const rows: Record<string, number> = {};
    const tables = (await tenantTables(em)).sort((a, b) => a.name.localeCompare(b.name));
    for (const table of tables) rows[table.name] = await dumpTable(em, table, 'workspace_id', workspaceId, join(dir, `${table.name}.ndjson`), maskPii);
    // The workspace's own row (name, business details, settings) is keyed by its id.
    const workspace = await workspaceTable(em);
    rows.workspaces = await dumpTable(em, workspace, 'id', workspaceId, join(dir, 'workspaces.ndjson'), maskPii);
    tables.push(workspace);
    const archive = tarPack();
    const gzip = createGzip();
    const upload = storage.putStream(key, gzip, 'application/gzip');
    const piping = pipeline(archive, gzip).catch((e: unknown) => e);
    const manifest = Buffer.from(JSON.stringify({ workspaceId, createdAt: new Date().toISOString(), format: 'one NDJSON file per table', piiMasked: maskPii, rows }, null, 2));
    archive.entry({ name: 'manifest.json', size: manifest.length }, manifest);
    for (const table of tables) {
      const file = join(dir, `${table.name}.ndjson`);
      const entry = archive.entry({ name: `${table.name}.ndjson`, size: (await stat(file)).size });
      await pipeline(createReadStream(file), entry);
    }
    archive.finalize();
    const [stored, pipeError] = await Promise.all([upload, piping]);
    if (pipeError) throw pipeError;
    return { stored, rows };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function dumpTable(em: EntityManager, table: TenantTable, scopeColumn: 'workspace_id' | 'id', workspaceId: string, path: string, maskPii: boolean): Promise<number> {
  const columns = table.columns.filter((c) => !WITHHELD_COLUMN.test(c.column) && !WITHHELD_TYPE.test(c.type));
  const masked = new Set(maskPii ? columns.filter((c) => !UNMASKED_TYPE.test(c.type)).map((c) => c.column) : []);
  const select = columns.map((c) => quoteIdent(c.column)).join(', ');
  // A table without a primary key is paged by its physical row id.
  const key = table.key.length ? table.key : [{ column: 'ctid', type: 'tid' }];
  const keyList = key.map((k) => quoteIdent(k.column)).join(', ');
  // Keyset values travel back as text and are cast to the key's own type.
  const keyText = key.map((k) => `${quoteIdent(k.column)}::text as ${quoteIdent(`__key_${k.column}`)}`).join(', ');
  const out = createWriteStream(path);
  let count = 0;
  let after: string[] | null = null;
  try {
    for (;;) {
      const params: unknown[] = [workspaceId];
      let where = `${scopeColumn} = ?`;
      if (after) {
        where += ` and (${keyList}) > (${key.map((k) => `?::${k.type}`).join(', ')})`;
        params.push(...after);
      }
      params.push(PAGE);
      const page = await em.execute<Record<string, unknown>[]>(`select ${select}, ${keyText} from ${quoteIdent(table.name)} where ${where} order by ${keyList} limit ?`, params);
      for (const row of page) {
        const record = Object.fromEntries(columns.map((c) => [c.column, masked.has(c.column) ? maskPiiIn(row[c.column]) : row[c.column]]));
        if (!out.write(`${JSON.stringify(record)}\n`)) await once(out, 'drain');
      }
      count += page.length;
      if (page.length < PAGE) break;
      const last = page[page.length - 1];
      after = key.map((k) => last[`__key_${k.column}`] as string);
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  return count;
}
