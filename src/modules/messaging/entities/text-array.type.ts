import { ArrayType } from '@mikro-orm/core';

/**
 * `text[]` whose elements are always quoted: MikroORM's default leaves plain words bare, so a
 * label such as `NULL` would come back as a null element.
 */
export class TextArrayType extends ArrayType<string> {
  override convertToDatabaseValue(value: string[] | null): string | null {
    if (!value) return value;
    return `{${value.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;
  }
}
