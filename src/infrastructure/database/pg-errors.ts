import { UniqueConstraintViolationException } from '@mikro-orm/core';

/** True for a PostgreSQL unique violation, whichever layer (MikroORM, knex, pg) raised it. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof UniqueConstraintViolationException || (e as { code?: string })?.code === '23505';
}
