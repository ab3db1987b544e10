import { ConnectionException, UniqueConstraintViolationException } from '@mikro-orm/core';

/** True for a PostgreSQL unique violation, whichever layer (MikroORM, knex, pg) raised it. */
export function isUniqueViolation(e: unknown): boolean {
  return e instanceof UniqueConstraintViolationException || (e as { code?: string })?.code === '23505';
}

/** Socket errors of a database that cannot be reached. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
// pg and knex report a dropped socket or an exhausted/closed pool only in the message.
const UNAVAILABLE_MESSAGE = /connection terminated|connection ended unexpectedly|timeout acquiring a connection|unable to acquire a connection|timeout exceeded when trying to connect/i;
/**
 * 08P01 (protocol violation) is in the connection class but is what PostgreSQL answers to a NUL
 * inside SQL text: the same request fails the same way again, so it is bad input, not an outage.
 */
const PROTOCOL_VIOLATION = '08P01';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The SQLSTATE of a PostgreSQL error (MikroORM copies pg's `code` onto its exceptions). */
export function sqlStateOf(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && SQLSTATE.test(code) ? code : undefined;
}

/**
 * True when the database could not be reached or cannot serve now (connection classes 08xxx,
 * shutdown/startup 57Pxx, insufficient resources 53xxx), as opposed to a query it rejected, so the
 * caller can answer 503 and have the client retry instead of reporting a bug.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  if (e instanceof ConnectionException) return true;
  const state = sqlStateOf(e);
  if (state) return state !== PROTOCOL_VIOLATION && (state.startsWith('08') || state.startsWith('57P') || state.startsWith('53'));
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/**
 * True when PostgreSQL refused the values, not the query: data exceptions (22xxx: invalid text
 * encoding, out-of-range numbers, malformed uuids) and the protocol violation a NUL causes. A retry
 * fails the same way, so it is the client's 400, never a 503.
 */
export function isDatabaseBadInput(e: unknown): boolean {
  const state = sqlStateOf(e);
  return !!state && (state.startsWith('22') || state === PROTOCOL_VIOLATION);
}

/**
 * A log line for a database error without its message: MikroORM's message holds the SQL with the
 * parameters inlined (customer text, emails), and PostgreSQL's detail repeats key values.
 */
export function describeDatabaseError(e: unknown): string | undefined {
  const state = sqlStateOf(e);
  if (!state) return undefined;
  const { name, table, constraint, routine } = e as { name?: string; table?: string; constraint?: string; routine?: string };
  return [`${name ?? 'DatabaseError'} SQLSTATE ${state}`, table && `table ${table}`, constraint && `constraint ${constraint}`, routine && `routine ${routine}`]
    .filter(Boolean)
    .join(', ');
}
