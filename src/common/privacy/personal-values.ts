/** What erased personal values are replaced with where a row must stay (audit entries, shared payloads). */
export const ERASED = '[erased]';

/** Search strings for a person's identifiers: phones are also matched by their digits (a wa_id, a Telegram card). */
export function needlesOf(identifiers: readonly { kind: string; value: string }[]): string[] {
  const out = new Set<string>();
  for (const { kind, value } of identifiers) {
    out.add(value.toLowerCase());
    if (kind === 'phone') out.add(value.replace(/\D/g, ''));
  }
  return [...out].filter((n) => n.length >= 3);
}

const DIGITS = /^\d+$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches a needle inside text; digit-only ones (wa_id, Telegram id) only as a whole number. */
function matcher(needles: string[]): RegExp | null {
  if (!needles.length) return null;
  const parts = needles.map((n) => (DIGITS.test(n) ? `(?<!\\d)${n}(?!\\d)` : escape(n)));
  return new RegExp(parts.join('|'), 'gi');
}

/** Whether any string or number anywhere in the value mentions one of the needles. */
export function mentions(value: unknown, needles: string[]): boolean {
  const re = matcher(needles);
  if (!re) return false;
  const visit = (v: unknown): boolean => {
    if (typeof v === 'string') return new RegExp(re.source, 'i').test(v);
    if (typeof v === 'number' || typeof v === 'bigint') return needles.includes(String(v));
    if (Array.isArray(v)) return v.some(visit);
    if (v && typeof v === 'object') return Object.entries(v).some(([k, x]) => visit(k) || visit(x));
    return false;
  };
  return visit(value);
}

/** A copy with every mention replaced by ERASED (in strings, and numbers that are an identifier). */
export function scrubMentions(value: unknown, needles: string[]): unknown {
  const re = matcher(needles)!;
  if (typeof value === 'string') return value.replace(re, ERASED);
  if (typeof value === 'number') return needles.includes(String(value)) ? ERASED : value;
  if (Array.isArray(value)) return value.map((v) => scrubMentions(v, needles));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubMentions(v, needles)]));
  return value;
}


/**
 * ILIKE patterns of the needles as one JSON parameter, for a coarse SQL pre-filter written
 * `col ilike any (array(select jsonb_array_elements_text(?::jsonb)))`; `mentions` then decides.
 */
export const likePatterns = (needles: string[]): string => JSON.stringify(needles.map((n) => `%${n.replace(/[\\%_]/g, '\\$&')}%`));
