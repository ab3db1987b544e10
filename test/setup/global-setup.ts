import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate } from '../../src/infrastructure/database/cli/migrate';

/**
 * Each jest run gets its own freshly migrated database and its own storage directory (both removed
 * again in global-teardown), so runs never see stale schema, data or files, never write into the
 * dev ./storage, and concurrent runs on one machine do not collide. The workers inherit
 * TEST_DATABASE_URL and TEST_STORAGE_DIR from this process.
 */
export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  // Redis keys are prefixed per run too (see env.ts), so two runs never take each other's jobs.
  process.env.TEST_RUN_ID ??= randomBytes(3).toString('hex');
  if (!process.env.TEST_STORAGE_DIR) {
    process.env.TEST_STORAGE_DIR = mkdtempSync(join(tmpdir(), `nanozons-test-${process.env.TEST_RUN_ID}-`));
    process.env.NANOZONS_TEST_STORAGE_CREATED = '1';
  }
  if (!process.env.TEST_DATABASE_URL) {
    const url = new URL(process.env.TEST_DATABASE_BASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nanozons_test');
    url.pathname = `${url.pathname}_${randomBytes(4).toString('hex')}`;
    process.env.TEST_DATABASE_URL = url.toString();
    process.env.NANOZONS_TEST_DB_CREATED = '1';
  }
  await migrate(process.env.TEST_DATABASE_URL, { silent: true });
}
