export { AppConfig, appEnv } from './app-config';
export { ConfigModule } from './config.module';
export { EnvSchema, APP_ROLES } from './env.schema';
export type { AppRole } from './env.schema';
export { loadEnv, validateEnv, ConfigError } from './load-env';
