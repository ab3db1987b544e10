import { ConnectionException, DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { isDatabaseUnavailable } from './pg-errors';

const driverError = (message: string, code?: string) => new DriverException(Object.assign(new Error(message), { code }));

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection (closed port)', driverError('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED')],
    ['a socket dropped mid-query', driverError('Connection terminated unexpectedly')],
    ['an exhausted pool', driverError('Knex: Timeout acquiring a connection. The pool is probably full.')],
    ['a closed pool', new Error('Unable to acquire a connection')],
    ['a server shutting down (57P01)', driverError('terminating connection due to administrator command', '57P01')],
    ['a connection-class SQLSTATE', driverError('connection failure', '08006')],
    ['MikroORM’s ConnectionException', new ConnectionException(new Error('anything'))],
  ])('recognises %s', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new UniqueConstraintViolationException(Object.assign(new Error('duplicate key'), { code: '23505' }))],
    ['a syntax error', driverError('syntax error at or near "selec"', '42601')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a non-error', undefined],
  ])('does not treat %s as an outage', (_what, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
