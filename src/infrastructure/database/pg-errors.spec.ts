import { ConnectionException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { describeDatabaseError, isDatabaseBadInput, isDatabaseUnavailable } from './pg-errors';

const driverError = (message: string, code?: string) => new DriverException(Object.assign(new Error(message), { code }));

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection (closed port)', driverError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')],
    ['a socket dropped mid-query', driverError('Connection terminated unexpectedly')],
    ['an exhausted pool', driverError('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['a closed pool', new Error('Unable to acquire a connection')],
    ['a server shutting down (57P01)', driverError('terminating connection due to administrator command', '57P01')],
    ['a connection-class SQLSTATE', driverError('connection failure', '08006')],
    ['a server out of connections (53300)', driverError('sorry, too many clients already', '53300')],
    ['a server out of memory (53200)', driverError('out of memory', '53200')],
    ['a server starting up (57P03)', driverError('the database system is starting up', '57P03')],
    ['MikroORM’s ConnectionException', new ConnectionException(new Error('anything'))],
  ])('recognises %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new UniqueConstraintViolationException(Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a syntax error', driverError('syntax error at or near "selec"', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a NUL in SQL text (08P01 protocol violation)', driverError('invalid message format', '08P01')],
    ['a NUL in a parameter (22021)', driverError('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a non-error', undefined],
  ])('does not treat %s as an outage', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isDatabaseBadInput', () => {
  it.each([
    ['invalid text encoding (22021)', '22021'],
    ['a malformed uuid (22P02)', '22P02'],
    ['a number out of range (22003)', '22003'],
    ['a NUL inlined into SQL text (08P01)', '08P01'],
  ])('classifies %s as bad input', (_what, code) => {
    expect(isDatabaseBadInput(driverError('x', code))).toBe(true);
  });

  it.each([
    ['a connection failure', '08006'],
    ['a unique violation', '23505'],
    ['a syntax error (our bug)', '42601'],
  ])('does not classify %s as bad input', (_what, code) => {
    expect(isDatabaseBadInput(driverError('x', code))).toBe(false);
  });
});

describe('describeDatabaseError', () => {
  it('names the SQLSTATE and table but never the message, which holds the SQL parameters', () => {
    const e = driverError(`insert into "contacts" ("name") values ('Ana secret') - invalid byte sequence`, '22021');
    Object.assign(e, { table: 'contacts', routine: 'report_invalid_encoding' });
    const line = describeDatabaseError(e)!;
    expect(line).toContain('SQLSTATE 22021');
    expect(line).toContain('table contacts');
    expect(line).not.toContain('Ana secret');
    expect(describeDatabaseError(new Error('no sqlstate'))).toBeUndefined();
  });
});
