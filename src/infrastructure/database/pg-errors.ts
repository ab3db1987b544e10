import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';

/** True for a PostgreSQL unique violation, whichever layer (MikroORM, knex, pg) raised it. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof UniqueConstraintViolationException || (e as { code?: string })?.code === '23505';
}

/** Socket errors, and SQLSTATEs of a server that is shutting down, starting up or out of connections. */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);
// pg and knex report a dropped socket or an exhausted/closed pool only in the message.
const UNAVAILABLE_MESSAGE = /connection terminated|connection ended unexpectedly|timeout acquiring a connection|unable to acquire a connection|timeout exceeded when trying to connect/i;

/**
 * True when the database could not be reached at all (as opposed to a query it rejected), so the
 * caller can answer 503 and have the client retry instead of reporting a bug.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (e instanceof ConnectionException) return true;
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}
