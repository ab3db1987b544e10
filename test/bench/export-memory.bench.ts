/**
 * Peak memory of a whole-workspace export: seeds a workspace with EXPORT_MESSAGES messages (default
 * 1,000,000) in a scratch database, runs the export writer, and prints the resident set size
 * before and at its peak. Usage: EXPORT_MESSAGES=200000 ts-node --transpile-only test/bench/export-memory.bench.ts
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const messages = Number(process.env.EXPORT_MESSAGES ?? 1_000_000);
  const name = `nanozons_export_bench_${randomUUID().slice(0, 8)}`;
  const base = process.env.BENCH_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const url = new URL(base);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const admin = new Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  const storageDir = mkdtempSync(join(tmpdir(), 'nanozons-export-bench-'));
  try {
    const { migrate } = await import('../../src/infrastructure/database/cli/migrate');
    await migrate(url.toString(), { silent: true });
    const db = new Client({ connectionString: url.toString() });
    await db.connect();
    const ws = randomUUID();
    const contact = randomUUID();
    const conversation = randomUUID();
    const channel = randomUUID();
    await db.query("insert into workspaces (id, name, settings, created_at, updated_at) values ($1, 'bench', '{}', now(), now())", [ws]);
    await db.query("insert into channels (id, workspace_id, type, name, config, secrets, created_at, updated_at) values ($1, $2, 'telegram', 'bot', '{}', 'x', now(), now())", [channel, ws]);
    await db.query('insert into contacts (id, workspace_id, created_at, updated_at) values ($1, $2, now(), now())', [contact, ws]);
    await db.query("insert into conversations (id, workspace_id, contact_id, last_message_at, email_thread_token, created_at, updated_at) values ($1, $2, $3, now(), 't', now(), now())", [conversation, ws, contact]);
    const started = Date.now();
    await db.query(
      `insert into messages (id, workspace_id, conversation_id, channel_id, contact_id, direction, type, text, status, created_at, updated_at)
       select gen_random_uuid(), $1, $2, $3, $4, 'inbound', 'text', repeat('Where is my order number ' || g || '? ', 4), 'received', now(), now()
       from generate_series(1, $5) g`,
      [ws, conversation, channel, contact, messages],
    );
    // What autovacuum would do after a bulk load: without statistics the planner misjudges the pages.
    await db.query('analyze');
    await db.end();
    say(`seeded ${messages} messages in ${Math.round((Date.now() - started) / 1000)} s`);

    const { ormConfig } = await import('../../src/infrastructure/database/mikro-orm.config');
    const { LocalFileStorage } = await import('../../src/infrastructure/storage');
    const { writeWorkspaceExport } = await import('../../src/modules/privacy/export/workspace-export.writer');
    const orm = await MikroORM.init(ormConfig(url.toString()));
    global.gc?.();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = Date.now();
    const { stored, rows } = await writeWorkspaceExport(orm.em.fork(), new LocalFileStorage({ root: storageDir }), ws, `${ws}/exports/bench.tar.gz`);
    clearInterval(sampler);
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    say(`exported ${rows.messages} messages (${mb(stored.size)} gzipped) in ${Math.round((Date.now() - t0) / 1000)} s; RSS before ${mb(baseline)}, peak ${mb(peak)} (+${mb(peak - baseline)})`);
    await orm.close();
  } finally {
    rmSync(storageDir, { recursive: true, force: true });
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  }
}

void main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
