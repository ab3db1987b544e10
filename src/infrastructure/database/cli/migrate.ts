import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../mikro-orm.config';
import { createDatabaseIfMissing } from './db-create';

/** Applies pending migrations (never schema sync); creates the database first if needed. */
export async function migrate(databaseUrl?: string, { silent = false } = {}): Promise<string[]> {
  await createDatabaseIfMissing(databaseUrl);
  const { entities: _e, entitiesTs: _t, ...config } = ormConfig(databaseUrl);
  const orm = await MikroORM.init({ ...config, entities: [], entitiesTs: [], migrations: { ...config.migrations, silent } });
  try {
    const applied = await orm.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close(true);
  }
}

if (require.main === module) {
  migrate()
    .then((names) => process.stdout.write(`migrations applied: ${names.length ? names.join(', ') : 'none pending'}\n`))
    .catch((e) => {
      process.stderr.write(`db:migrate failed: ${(e as Error).message}\n`);
      process.exit(1);
    });
}
