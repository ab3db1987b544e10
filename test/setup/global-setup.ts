import { migrate } from '../../src/infrastructure/database/cli/migrate';


/** Creates and migrates the separate test database once per jest run. */
export default async function globalSetup() {
  process.env.NODE_ENV = 'test';
  await migrate(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/nanozons_test');
}
