import { ERROR_STATUS, ErrorCode } from './error-codes';

export interface FieldError {
  field: string;
  message: string;
}

/**
 * A failure the API reports to its caller. The exception filter renders it as
 * problem+json; `extra` members (e.g. `closedAt`, `mergedInto`) are added to the body.
 */
export class DomainError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    status?: number,
  ) {
    super(detail);
    this.name = 'DomainError';
    this.status = status ?? ERROR_STATUS[code];
  }
}

export class ValidationFailedError extends DomainError {
  constructor(errors: FieldError[], detail = 'The request is invalid.') {
    super('validation_failed', detail, { errors });
  }
}

export class NotFoundError extends DomainError {
  constructor(what = 'Resource', extra: Record<string, unknown> = {}) {
    super('not_found', `${what} not found.`, extra);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'Your role does not allow this action.') {
    super('forbidden', detail);
  }
}

export class ConflictError extends DomainError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super('conflict', detail, extra);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(detail = 'Authentication is required.') {
    super('unauthorized', detail);
  }
}
