import { Client } from 'pg';

/** Drops the database global-setup created for this run. */
export default async function globalTeardown() {
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
