import { DomainError, NotFoundError } from '../../common/errors';

/** A file exceeds the storage size limit; rendered as 413 payload_too_large. */
export class FileTooLargeError extends DomainError {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super('payload_too_large', `The file is ${size} bytes; the limit is ${limit} bytes.`, { limit });
    this.name = 'FileTooLargeError';
  }
}

/** No file under this key; rendered as 404 not_found. */
export class StoredFileNotFoundError extends NotFoundError {
  constructor(readonly key: string) {
    super('File');
    this.name = 'StoredFileNotFoundError';
  }
}

/**
 * A storage key that could escape the storage directory or is otherwise unusable. Keys are
 * chosen by our code, never by callers, so this is a bug and deliberately renders as a 500.
 */
export class InvalidStorageKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 200))}: ${reason}`);
    this.name = 'InvalidStorageKeyError';
  }
}
