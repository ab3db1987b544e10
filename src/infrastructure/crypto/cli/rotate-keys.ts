import { Client } from 'pg';
import { appEnv } from '../../../config';
import { SecretBox } from '../secret-box';

/** Every column holding SecretBox ciphertexts; a module that stores secrets adds its column here. */
export const ENCRYPTED_COLUMNS = [{ table: 'channels', column: 'secrets' }] as const;

/**
 * Re-encrypts every secret with the first ENCRYPTION_KEY. Run after putting a new key first in the
 * list (old keys stay after it until this has run); rows already on the new key are skipped.
 */
export async function rotateKeys(
  databaseUrl = appEnv().DATABASE_URL,
  box = SecretBox.fromKeys(appEnv().ENCRYPTION_KEY),
  /** Limits the run to one workspace (a staged rotation, or a test that must not touch others). */
  workspaceId?: string,
) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let rotated = 0;
  try {
    for (const { table, column } of ENCRYPTED_COLUMNS) {
      await client.query('begin');
      const rows = await client.query<{ id: string; value: string }>(
        `select id, ${column} as value from ${table} where $1::uuid is null or workspace_id = $1 for update`,
        [workspaceId ?? null],
      );
      for (const row of rows.rows) {
        if (!box.needsRotation(row.value)) continue;
        await client.query(`update ${table} set ${column} = $1 where id = $2`, [box.rotate(row.value), row.id]);
        rotated++;
      }
      await client.query('commit');
    }
    return { rotated, keyId: box.currentKeyId };
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
}

if (require.main === module) {
  rotateKeys()
    .then(({ rotated, keyId }) => process.stdout.write(`re-encrypted ${rotated} secret(s) with key ${keyId}\n`))
    .catch((e) => {
      process.stderr.write(`keys:rotate failed: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
