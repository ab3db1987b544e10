import { randomBytes } from 'node:crypto';
import { migrate } from '../../src/infrastructure/database/cli/migrate';

/**
 * Each jest run gets its own freshly migrated database (dropped again in global-teardown), so runs
 * never see stale schema or data, and concurrent runs on one machine do not collide. The workers
 * inherit TEST_DATABASE_URL from this process.
 */
export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  // Redis keys are prefixed per run too (see env.ts), so two runs never take each other's jobs.
  process.env.TEST_RUN_ID ??= randomBytes(3).toString('hex');
  if (!process.env.TEST_DATABASE_URL) {
    const url = new URL(process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nanozons_test');
    url.pathname = `${url.pathname}_${randomBytes(4).toString('hex')}`;
    process.env.TEST_DATABASE_URL = url.toString();
    process.env.NANOZONS_TEST_DB_CREATED = '1';
  }
  await migrate(process.env.TEST_DATABASE_URL, { silent: true });
}
