import { isEmail } from 'class-validator';
import { CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';
import { InvalidIdentifierError } from './identity.errors';

export const IDENTIFIER_KINDS = ['email', 'phone', 'whatsapp', 'telegram'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

const PHONE_CHARS = /^\+?[\d\s().\-/]+$/;
const DIGITS = /^\d+$/;
/** WhatsApp's business-scoped user id, sent instead of the wa_id when the phone is withheld. */
const BSUID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const TELEGRAM_ID = /^\d{1,20}$/;

export function normalizeEmail(raw: string): string {
  const value = raw.trim().toLowerCase();
  if (value.length > 254 || !isEmail(value)) throw new InvalidIdentifierError('not a valid email address');
  return value;
}

/**
 * E.164. National formats use the workspace's default country (`07700 900123` in GB is
 * +447700900123). Only the length is checked, not the numbering plan: new and fictional
 * ranges are real enough to message.
 */
export function normalizePhone(raw: string, defaultCountry?: string): string {
  const value = raw.trim();
  if (!PHONE_CHARS.test(value)) throw new InvalidIdentifierError('not a phone number');
  const parsed = parsePhoneNumberFromString(value, defaultCountry as CountryCode | undefined);
  if (!parsed?.isPossible()) {
    throw new InvalidIdentifierError(value.startsWith('+') || defaultCountry ? 'not a possible phone number' : 'a national number needs the workspace default country');
  }
  return parsed.number;
}

/** wa_id digits (a leading + or spaces are dropped), or a business-scoped user id as given. */
export function normalizeWhatsapp(raw: string): string {
  const value = raw.trim();
  const digits = value.replace(/[+\s-]/g, '');
  if (DIGITS.test(digits)) {
    if (digits.length < 5 || digits.length > 20) throw new InvalidIdentifierError('not a WhatsApp id');
    return digits;
  }
  if (!BSUID.test(value)) throw new InvalidIdentifierError('not a WhatsApp id');
  return value;
}

export function normalizeTelegram(raw: string): string {
  const value = raw.trim();
  if (!TELEGRAM_ID.test(value)) throw new InvalidIdentifierError('not a Telegram user id');
  return value;
}

export function normalizeIdentifier(kind: IdentifierKind, raw: string, defaultCountry?: string): string {
  switch (kind) {
    case 'email':
      return normalizeEmail(raw);
    case 'phone':
      return normalizePhone(raw, defaultCountry);
    case 'whatsapp':
      return normalizeWhatsapp(raw);
    case 'telegram':
      return normalizeTelegram(raw);
  }
}

/**
 * The E.164 phone behind international digits (a wa_id, a WhatsApp `phone`), or null when
 * the digits cannot be a phone number (a business-scoped id, a short code).
 */
export function phoneFromDigits(raw: string | undefined): string | null {
  const digits = raw?.trim().replace(/[+\s-]/g, '');
  if (!digits || !DIGITS.test(digits)) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed?.isPossible() ? parsed.number : null;
}

/** A phone shared on a contact card: international digits first (Telegram omits the +), else national. */
export function normalizeCardPhone(raw: string, defaultCountry?: string): string | null {
  try {
    return phoneFromDigits(raw) ?? normalizePhone(raw, defaultCountry);
  } catch (e) {
    if (e instanceof InvalidIdentifierError) return null;
    throw e;
  }
}
