import type { Provider, Type } from '@nestjs/common';
import { appEnv } from '../../config/app-config';

/** Bull processors run only in `worker` and `all` processes (one codebase, two roles). */
export function workerOnly(...providers: Provider[]): Provider[] {
  return appEnv().APP_ROLE === 'api' ? [] : providers;
}

/** HTTP controllers of domain modules are mounted only in `api` and `all` processes. */
export function apiOnly(...controllers: Type[]): Type[] {
  return appEnv().APP_ROLE === 'worker' ? [] : controllers;
}
