import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { Client } from 'pg';

/** Deletes this run's Redis keys (queues, counters). */
async function dropRedisKeys() {
  if (!process.env.TEST_RUN_ID) return;
  const redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `nzt${process.env.TEST_RUN_ID}w*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // Redis is optional for cleanup: a stopped Redis keeps nothing anyway.
  } finally {
    redis.disconnect();
  }
}

/** Drops the database, storage directory and Redis keys global-setup created for this run. */
export default async function globalTeardown() {
  await dropRedisKeys();
  if (process.env.NANOZONS_TEST_STORAGE_CREATED === '1' && process.env.TEST_STORAGE_DIR) {
    rmSync(process.env.TEST_STORAGE_DIR, { recursive: true, force: true });
  }
  if (process.env.NANOZONS_TEST_DB_CREATED !== '1' || !process.env.TEST_DATABASE_URL) return;
  const url = new URL(process.env.TEST_DATABASE_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name.replace(/"/g, '')}" with (force)`);
  } finally {
    await client.end();
  }
}
