import { ConflictError, NotFoundError, ValidationFailedError } from '../../common/errors';

/** An identifier value that cannot be normalized: a 400 `validation_failed` on `value` unless caught and re-placed. */
export class InvalidIdentifierError extends ValidationFailedError {
  constructor(readonly reason: string) {
    super([{ field: 'value', message: reason }], `Invalid identifier: ${reason}`);
  }
}

/** Another tenant's id, an unknown one, or a merged-away contact (then `mergedInto` says where it went). */
export const contactNotFound = (mergedInto?: string | null) => new NotFoundError('Contact', mergedInto ? { mergedInto } : {});

export const identifierTaken = (field: string, contactId: string) =>
  new ConflictError('This identifier already belongs to another contact.', { field, contactId });

export const mergeAlreadyUndone = () => new ConflictError('This merge has already been undone.');
