import { defineConfig, PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { join } from 'node:path';
import { appEnv } from '../../config/app-config';

// From src/infrastructure/database (jest, ts) or dist/src/infrastructure/database (production).
const projectRoot = join(__dirname, '..', '..', '..');
const isCompiled = __filename.endsWith('.js');

/** Shared by the app, the migration scripts and the MikroORM CLI. */
export function ormConfig(databaseUrl = appEnv().DATABASE_URL) {
  return defineConfig({
    driver: PostgreSqlDriver,
    clientUrl: databaseUrl,
    entities: [isCompiled ? 'dist/src/**/*.entity.js' : 'src/**/*.entity.ts'],
    entitiesTs: ['src/**/*.entity.ts'],
    discovery: { warnWhenNoEntities: false },
    extensions: [Migrator],
    migrations: {
      path: join(projectRoot, 'migrations'),
      pathTs: join(projectRoot, 'migrations'),
      glob: isCompiled ? '!(*.d).js' : '!(*.d).ts',
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      snapshot: false,
    },
    // Twice the request transactions the idempotency interceptor admits at once (TransactionSlots).
    pool: { min: 0, max: 20 },
    forceUtcTimezone: true,
    // The app uses migrations only; never let MikroORM alter the schema on its own.
    ensureDatabase: false,
    debug: false,
  });
}

export default ormConfig();
