import {
  normalizeCardPhone,
  normalizeEmail,
  normalizeIdentifier,
  normalizePhone,
  normalizeTelegram,
  normalizeWhatsapp,
  phoneFromDigits,
} from './identifier-normalizer';
import { InvalidIdentifierError } from './identity.errors';

describe('identifier normalization', () => {
  describe('email', () => {
    it('trims and lower-cases', () => {
      expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
      expect(normalizeIdentifier('email', 'OPS+Tag@Sub.Example.org')).toBe('ops+tag@sub.example.org');
    });

    it('rejects what is not an address', () => {
      for (const bad of ['jane', 'jane@', '@example.com', 'jane doe@example.com', 'jane@example', '']) {
        expect(() => normalizeEmail(bad)).toThrow(InvalidIdentifierError);
      }
    });
  });

  describe('phone', () => {
    it('reads national formats in the workspace default country', () => {
      expect(normalizePhone('07700 900123', 'GB')).toBe('+447700900123');
      expect(normalizePhone('(415) 555-2671', 'US')).toBe('+14155552671');
      expect(normalizePhone('030 1234567', 'DE')).toBe('+49301234567');
      expect(normalizePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    });

    it('keeps international numbers whatever the default country', () => {
      expect(normalizePhone('+44 7700 900123', 'US')).toBe('+447700900123');
      expect(normalizePhone('+44 (0) 7700 900123', 'GB')).toBe('+447700900123');
      expect(normalizePhone('0044 7700 900123', 'GB')).toBe('+447700900123');
      expect(normalizePhone('+1-202-555-0143')).toBe('+12025550143');
    });

    it('rejects impossible numbers, letters and national numbers without a country', () => {
      expect(() => normalizePhone('12', 'GB')).toThrow(InvalidIdentifierError);
      expect(() => normalizePhone('0770', 'GB')).toThrow(InvalidIdentifierError);
      expect(() => normalizePhone('call me', 'GB')).toThrow(InvalidIdentifierError);
      expect(() => normalizePhone('07700 900123 ext. 5', 'GB')).toThrow(InvalidIdentifierError);
      expect(() => normalizePhone('07700 900123')).toThrow(/default country/);
    });

    it('fails as a 400 validation_failed naming the value', () => {
      expect(() => normalizePhone('nope', 'GB')).toThrow(expect.objectContaining({ code: 'validation_failed', status: 400, extra: { errors: [{ field: 'value', message: 'not a phone number' }] } }));
    });
  });

  describe('whatsapp', () => {
    it('keeps wa_id digits and business-scoped ids as given', () => {
      expect(normalizeWhatsapp('447700900123')).toBe('447700900123');
      expect(normalizeWhatsapp(' +44 7700-900123 ')).toBe('447700900123');
      expect(normalizeWhatsapp('US.13491208655302741918')).toBe('US.13491208655302741918');
    });

    it('rejects empty, short or odd values', () => {
      for (const bad of ['', '123', 'has space', 'x'.repeat(200)]) expect(() => normalizeWhatsapp(bad)).toThrow(InvalidIdentifierError);
    });
  });

  describe('telegram', () => {
    it('takes a numeric user id', () => {
      expect(normalizeTelegram(' 123456789 ')).toBe('123456789');
      expect(() => normalizeTelegram('@someone')).toThrow(InvalidIdentifierError);
      expect(() => normalizeTelegram('-100123')).toThrow(InvalidIdentifierError);
    });
  });

  it('phoneFromDigits turns international digits into E.164 and refuses the rest', () => {
    expect(phoneFromDigits('447700900123')).toBe('+447700900123');
    expect(phoneFromDigits('+14155552671')).toBe('+14155552671');
    expect(phoneFromDigits('US.13491208655302741918')).toBeNull();
    expect(phoneFromDigits('12')).toBeNull();
    expect(phoneFromDigits(undefined)).toBeNull();
  });

  it('normalizeCardPhone prefers international digits, then the default country', () => {
    expect(normalizeCardPhone('447700900123', 'US')).toBe('+447700900123');
    expect(normalizeCardPhone('+44 7700 900123', 'US')).toBe('+447700900123');
    expect(normalizeCardPhone('07700 900123', 'GB')).toBe('+447700900123');
    expect(normalizeCardPhone('not a phone', 'GB')).toBeNull();
  });
});
