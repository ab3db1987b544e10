import type { FastifyInstance } from 'fastify';
import { ValidationFailedError } from '../../common/errors';
import { findUnsafeText } from '../../common/input';

const MESSAGE = 'contains a NUL character or an unpaired UTF-16 surrogate';

/**
 * Path parameters and query strings with NUL or a lone surrogate are bad input (400), refused
 * before any handler runs: PostgreSQL would fail on them mid-request and look like an outage.
 * JSON bodies get the same check in the body parser; header bytes are checked by Node itself.
 */
export function registerRequestTextHook(fastify: FastifyInstance) {
  fastify.addHook('preValidation', (req, _reply, done) => {
    const field = findUnsafeText(req.params, 'path') ?? findUnsafeText(req.query, 'query');
    done(field ? new ValidationFailedError([{ field, message: MESSAGE }]) : undefined);
  });
}
