import { Injectable } from '@nestjs/common';
import { createSecretKey, KeyObject } from 'node:crypto';
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

  /**
   * JWT_SECRET as a key object: given a string, jsonwebtoken first tries (and fails) to parse it as
   * a public key on every verify, which was the costliest step of an authenticated request.
   */
  get jwtKey(): KeyObject {
    this.cachedJwtKey ??= createSecretKey(Buffer.from(this.env.JWT_SECRET));
    return this.cachedJwtKey;
  }

  private cachedJwtKey?: KeyObject;
}
