import { parsePhoneNumberFromString } from 'libphonenumber-js';

export const DUPLICATE_REASONS = ['same_name_and_email_domain', 'same_phone_number', 'same_phone_unverified', 'phone_trunk_prefix', 'phone_country_code'] as const;
export type DuplicateReason = (typeof DUPLICATE_REASONS)[number];

const MIN_NATIONAL_DIGITS = 6;

function splitPhone(value: string): { countryCode: string; national: string } | null {
  const digits = value.replace(/\D/g, '');
  if (!digits) return null;
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  // Digits that are no international number are taken as a national number missing its country code.
  return parsed ? { countryCode: parsed.countryCallingCode, national: parsed.nationalNumber } : { countryCode: '', national: digits };
}

/**
 * What phone numbers (E.164 or wa_id digits) that may be one person's have in common: the national
 * number without trunk zeros. Stored with the identifier so duplicate candidates are an index lookup.
 */
export function phoneMatchKey(value: string): string | null {
  const split = splitPhone(value);
  const key = split?.national.replace(/^0+/, '');
  return key && key.length >= MIN_NATIONAL_DIGITS ? key : null;
}

/**
 * Why two phone numbers of different contacts look like one person's, or null. These are weak
 * signals (a typo, a wrong default country), so they are suggested, never merged automatically.
 */
export function phoneSimilarity(a: string, b: string): Extract<DuplicateReason, `${string}phone${string}`> | null {
  const key = phoneMatchKey(a);
  if (!key || key !== phoneMatchKey(b)) return null;
  if (a.replace(/\D/g, '') === b.replace(/\D/g, '')) return 'same_phone_number';
  return splitPhone(a)!.countryCode === splitPhone(b)!.countryCode ? 'phone_trunk_prefix' : 'phone_country_code';
}
