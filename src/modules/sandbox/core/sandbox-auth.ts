import { createHash } from 'node:crypto';

/**
 * Credentials the fakes refuse, so integrators and tests can exercise "bad token" paths
 * without configuring anything: exactly `bad`, or anything starting with `invalid`.
 */
export function isRejectedToken(token: string): boolean {
  return token === 'bad' || token.startsWith('invalid');
}

/** `Authorization: Bearer <token>` (case-insensitive scheme), else undefined. */
export function bearerToken(headers: Record<string, string>): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

/** Short non-reversible fingerprint of a token, for binding a download URL to the token that asked for it. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}
