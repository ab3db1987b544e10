import { Injectable } from '@nestjs/common';
import { EnvSchema } from './env.schema';
import { loadEnv } from './load-env';

let cached: EnvSchema | undefined;

/** The validated environment, loaded once per process. */
export function appEnv(): EnvSchema {
  cached ??= loadEnv();
  return cached;
}

/** Injectable view of the validated environment. */
@Injectable()
export class AppConfig {
  readonly env: EnvSchema = appEnv();

  get isApi(): boolean {
    return this.env.APP_ROLE !== 'worker';
  }

  get isWorker(): boolean {
    return this.env.APP_ROLE !== 'api';
  }
}
