import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random URL-safe secret. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Constant-time comparison of a presented secret with a stored sha256 hex digest. */
export function matchesHash(presented: string, storedHex: string): boolean {
  const a = Buffer.from(sha256(presented), 'hex');
  const b = Buffer.from(storedHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
