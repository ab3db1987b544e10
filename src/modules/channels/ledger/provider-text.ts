/** NUL and UTF-16 surrogates without their partner: PostgreSQL text and jsonb refuse both. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what has to be matched
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const REPLACEMENT = '\uFFFD';

/** One string made storable: each unstorable code unit becomes U+FFFD, so the reader sees where it was. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE, REPLACEMENT);
}

/**
 * Every string (keys included) of parsed provider JSON made storable. Providers may legally send
 * `\u0000` or a lone surrogate inside JSON text; left as is, every insert of the message fails on
 * every attempt. The raw body in the ledger keeps the bytes exactly as they came.
 */
export function storableProviderJson(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableProviderJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableProviderJson(v)]));
  }
  return value;
}

/** A failure reason that can always be stored: cut to `max` first (which may split a pair), then made storable. */
export const storableReason = (reason: string, max = 1000): string => storableText(reason.slice(0, max));
