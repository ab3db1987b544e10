import Redis from 'ioredis';
import { spawn, ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../src/infrastructure/database/cli/migrate';

/** A separate database and Redis prefix so benchmarks never touch dev or test data. */
export const BENCH_ENV = {
  NODE_ENV: 'production',
  DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nanozons_bench',
  REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  // Per run, so queues left by an earlier run never delay this one.
  REDIS_PREFIX: `nzbench${randomBytes(3).toString('hex')}`,
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  JWT_SECRET: randomBytes(32).toString('hex'),
  LOG_LEVEL: 'warn',
};

/** A fresh database per run: earlier runs' rows would skew inserts and queries. */
export async function prepareDatabase() {
  const url = new URL(BENCH_ENV.DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`drop database if exists "${name.replace(/"/g, '')}" with (force)`);
  await admin.end();
  await migrate(BENCH_ENV.DATABASE_URL, { silent: true });
}

/** Deletes this run's Redis keys (queues and counters). */
export async function cleanupRedis() {
  const redis = new Redis(BENCH_ENV.REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${BENCH_ENV.REDIS_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/** Starts a compiled script as a child process and resolves once `readyUrl` answers. */
export async function startProcess(script: string, env: Record<string, string>, readyUrl: string): Promise<ChildProcess> {
  const args = script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only', script] : [script];
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof2'] : []), ...args], { env: { ...process.env, ...BENCH_ENV, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      if ((await fetch(readyUrl)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`${script} did not become ready`);
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

export interface Measured {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

export function report(rows: Measured[], baseline: string) {
  const base = rows.find((r) => r.name === baseline)!;
  const lines = rows.map(
    (r) =>
      `${r.name.padEnd(34)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}   ratio ${(r.rps / base.rps).toFixed(2)}`,
  );
  process.stdout.write(`\n${lines.join('\n')}\n(ratio = requests/s relative to "${baseline}", measured in the same run)\n`);
}
