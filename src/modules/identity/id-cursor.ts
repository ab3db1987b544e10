import { isUuid } from '../../common/authz';
import { ValidationFailedError } from '../../common/errors';
import { decodeCursor } from '../../common/pagination';

/** The id of the last row of the previous page (lists here are newest first by UUIDv7 id). */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  const after = decodeCursor<{ id: string }>(cursor, ['id']);
  // A well-formed cursor whose key is not an id must not reach the uuid column as a 500.
  if (after && !isUuid(String(after.id))) throw new ValidationFailedError([{ field: 'cursor', message: 'malformed cursor' }]);
  return after?.id;
}
