import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';

export const trimString = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * A short label people type (a consent source, a role name): trimmed, then 1..max characters of
 * any script, without control characters, so it shows the same in every list and log line.
 */
export const IsFreeText = (max: number) =>
  applyDecorators(
    Transform(trimString),
    IsString(),
    Length(1, max, { message: ({ property }) => `${property} must be 1-${max} characters after trimming` }),
    Matches(/^[^\p{Cc}]*$/u, { message: ({ property }) => `${property} must not contain control characters` }),
  );
