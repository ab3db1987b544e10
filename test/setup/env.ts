import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Test processes always use their own database and Redis key prefix, so they never touch dev data
// (a DATABASE_URL exported in the shell is deliberately ignored; use TEST_DATABASE_URL).
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nanozons_test';
process.env.REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// One prefix per jest run and worker: a worker's queues are processed by its own app only.
process.env.REDIS_PREFIX = `nzt${process.env.TEST_RUN_ID ?? ''}w${process.env.JEST_WORKER_ID ?? '0'}`;
// Attachments and exports go to this run's temporary directory (global-setup), never the dev
// ./storage; an exported STORAGE_DIR is ignored like DATABASE_URL. The fallback only serves a jest
// started without the global setup.
process.env.STORAGE_DIR = process.env.TEST_STORAGE_DIR ?? join(tmpdir(), `nanozons-test-w${process.env.JEST_WORKER_ID ?? '0'}`);
// Fault suites cut PostgreSQL and Redis on purpose, and degraded mode logs warnings; errors (a
// 500, a bug) still print. `LOG_LEVEL=warn npm test` shows the warnings too.
process.env.LOG_LEVEL ??= 'error';
// Suites sign up many people from one IP; the rate-limit suite lowers these on its own app.
process.env.RATE_LIMIT_AUTH_PER_MINUTE = '100000';
process.env.RATE_LIMIT_PER_MINUTE = '100000';
process.env.RATE_LIMIT_WORKSPACE_PER_MINUTE = '100000';
// MikroORM keeps decorator metadata on globalThis; a worker reusing it across test files would
// hand one file's Map objects to another file's realm.
delete (globalThis as Record<string, unknown>)['mikro-orm-metadata'];
