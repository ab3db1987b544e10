/**
 * Replaces identifiers in text an external model is about to see. Order matters: e-mail addresses
 * first (their digits are not phone numbers), then IBANs and card-like numbers, then phone numbers.
 */
const RULES: { pattern: RegExp; token: string; keep?: (match: string) => boolean }[] = [
  { pattern: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu, token: '[email]' },
  { pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g, token: '[iban]' },
  { pattern: /\b(?:\d[ -]?){12,18}\d\b/g, token: '[number]' },
  {
    pattern: /(?:\+|\b)\d[\d ().-]{5,}\d\b/g,
    token: '[phone]',
    // Dates and times are not identifiers, and fewer than 7 digits is a quantity or an amount.
    keep: (m) => /^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/.test(m.trim()) || m.replace(/\D/g, '').length < 7,
  },
];

export function maskIdentifiers(text: string): string {
  return RULES.reduce((out, r) => out.replace(r.pattern, (m) => (r.keep?.(m) ? m : r.token)), text);
}
