/**
 * NUL and lone UTF-16 surrogates: legal in JSON and URLs, but PostgreSQL text cannot hold them, so a
 * value carrying one fails in SQL (as an invalid-byte error) after other writes may have happened.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const isUnsafeText = (s: string) => UNSAFE.test(s);

const join = (parent: string, key: string | number) =>
  typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key;

/**
 * The field path of the first string (value or object key) in `value` that is unsafe text, or
 * undefined. Callers bound the depth first (JSON bodies are depth-capped at parse).
 */
export function findUnsafeText(value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') return isUnsafeText(value) ? path || 'value' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnsafeText(value[i], join(path, i));
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const field = join(path, key);
      if (isUnsafeText(key)) return field;
      const found = findUnsafeText(v, field);
      if (found) return found;
    }
  }
  return undefined;
}
