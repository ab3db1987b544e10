import type { RequestCtx } from './request-ctx';

const DOT = '•';

/** `jane@example.com` → `j•••@example.com` */
export function maskEmail(email: string): string {
  const at = email.indexOf('@');
  if (at < 1) return DOT.repeat(3);
  return `${email[0]}${DOT.repeat(3)}${email.slice(at)}`;
}

/** `+447700900123` → `+44•••••0123` */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return DOT.repeat(phone.length);
  return `${phone.slice(0, 3)}${DOT.repeat(5)}${phone.slice(-4)}`;
}

export const canSeePii = (ctx: RequestCtx): boolean => ctx.ability.can('read', 'ContactPii');

export type PiiKind = 'email' | 'phone' | 'whatsapp' | 'telegram';

/** Masks an identifier value for callers without `read ContactPii` (emails and phone numbers). */
export function maskIdentifier(ctx: RequestCtx, kind: PiiKind | string, value: string): string {
  if (canSeePii(ctx)) return value;
  if (kind === 'email') return maskEmail(value);
  if (kind === 'phone' || kind === 'whatsapp') return maskPhone(value);
  return value;
}

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE_RE = /\+?\d[\d\s().-]{6,}\d/g;

/**
 * Deep-masks emails and phone numbers in any response-shaped value (strings inside objects and
 * arrays), for answers, SSE events and exports seen by a caller without `read ContactPii`.
 */
export function maskPiiDeep<T>(ctx: RequestCtx, value: T): T {
  return canSeePii(ctx) ? value : maskPiiIn(value);
}

/** The masking itself, for work done later on behalf of a caller (an export job). */
export function maskPiiIn<T>(value: T): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(EMAIL_RE, maskEmail).replace(PHONE_RE, (p) => maskPhone(p.replace(/[\s().-]/g, '')));
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Date) return v;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}
