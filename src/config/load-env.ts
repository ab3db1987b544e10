import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvSchema } from './env.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = line.match(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/);
    if (!m) continue;
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/**
 * Development defaults come from `.env` or, when there is none, `.env.example`;
 * in production only the real environment counts, so secrets must be set explicitly.
 */
export function fileDefaults(env: NodeJS.ProcessEnv, cwd = process.cwd()): Record<string, string> {
  if (env.NODE_ENV === 'production') return {};
  for (const name of ['.env', '.env.example']) {
    const path = join(cwd, name);
    if (existsSync(path)) return parseDotenv(readFileSync(path, 'utf8'));
  }
  return {};
}

export function validateEnv(raw: Record<string, string | undefined>): EnvSchema {
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const config = plainToInstance(EnvSchema, present, { exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, skipMissingProperties: false });
  if (errors.length) {
    throw new ConfigError(errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`)));
  }
  config.HOST ??= config.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1';
  return config;
}

export function loadEnv(env: NodeJS.ProcessEnv = process.env, cwd?: string): EnvSchema {
  return validateEnv({ ...fileDefaults(env, cwd), ...env });
}
