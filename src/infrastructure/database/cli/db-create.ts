import { Client } from 'pg';
import { appEnv } from '../../../config';

/** Creates the database named in DATABASE_URL when it does not exist yet. */
export async function createDatabaseIfMissing(databaseUrl = appEnv().DATABASE_URL): Promise<boolean> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return false;
    await client.query(`create database "${name.replace(/"/g, '""')}"`);
    return true;
  } catch (e) {
    // Two processes racing to create the same database: the loser's error is harmless.
    if ((e as { code?: string }).code === '42P04') return false;
    throw e;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  createDatabaseIfMissing()
    .then((created) => process.stdout.write(created ? 'database created\n' : 'database exists\n'))
    .catch((e) => {
      process.stderr.write(`db:create failed: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
