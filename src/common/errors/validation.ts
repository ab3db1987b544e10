import type { ValidationError } from 'class-validator';
import { FieldError, ValidationFailedError } from './domain-error';

/** Flattens class-validator's nested errors into `{field: "a.b[0].c", message}` pairs. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((e) => {
    const field = parent ? (/^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      field,
      message: message.startsWith('property ') ? message.replace(/^property \S+ /, 'unknown field, ') : message,
    }));
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

export const validationExceptionFactory = (errors: ValidationError[]) =>
  new ValidationFailedError(flattenValidationErrors(errors));
