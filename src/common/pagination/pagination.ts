import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationFailedError } from '../errors';
import { isUuid } from '../ids';

/** `?limit=` (1..200, default 50) and an opaque `?cursor=`. */
export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page' })
  @IsOptional() @IsString() @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Cursors are base64url JSON of the last row's sort key; clients must not build them. */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<K extends Record<string, string | number>>(cursor: string | undefined, fields: (keyof K)[]): K | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as K;
    if (parsed && typeof parsed === 'object' && fields.every((f) => ['string', 'number'].includes(typeof parsed[f]))) return parsed;
  } catch {
    // fall through
  }
  throw new ValidationFailedError([{ field: 'cursor', message: 'malformed cursor' }]);
}

/** The id of the last row of the previous page, for lists keyed on the time-ordered UUIDv7 id. */
export function decodeIdCursor(cursor: string | undefined): string | undefined {
  const after = decodeCursor<{ id: string }>(cursor, ['id']);
  // A well-formed cursor whose key is not an id must not reach the uuid column as a 500.
  if (after && !isUuid(after.id)) throw new ValidationFailedError([{ field: 'cursor', message: 'malformed cursor' }]);
  return after?.id;
}

/** Given `limit + 1` rows, returns one page and the cursor of its last row when more exist. */
export function toPage<R, T>(rows: R[], limit: number, key: (row: R) => Record<string, string | number>, map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { data: page.map(map), nextCursor: more ? encodeCursor(key(page[page.length - 1])) : null };
}
