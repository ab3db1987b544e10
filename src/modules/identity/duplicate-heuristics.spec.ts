import { phoneMatchKey, phoneSimilarity } from './duplicate-heuristics';

describe('duplicate heuristics', () => {
  describe('phoneMatchKey', () => {
    it('is the national number without trunk zeros, whatever the country code', () => {
      expect(phoneMatchKey('+447700900123')).toBe('7700900123');
      expect(phoneMatchKey('447700900123')).toBe('7700900123');
      expect(phoneMatchKey('4407700900123')).toBe('7700900123');
      expect(phoneMatchKey('+17700900123')).toBe('7700900123');
      expect(phoneMatchKey('07700900123')).toBe('7700900123');
    });

    it('has no key for short or empty values', () => {
      expect(phoneMatchKey('+4412')).toBeNull();
      expect(phoneMatchKey('00012')).toBeNull();
      expect(phoneMatchKey('')).toBeNull();
    });
  });

  describe('phoneSimilarity', () => {
    it('sees a trunk prefix 0 kept after the country code', () => {
      expect(phoneSimilarity('+447700900123', '4407700900123')).toBe('phone_trunk_prefix');
    });

    it('sees a missing or wrongly defaulted country code', () => {
      expect(phoneSimilarity('+447700900123', '+17700900123')).toBe('phone_country_code');
      expect(phoneSimilarity('+447700900123', '07700900123')).toBe('phone_country_code');
    });

    it('sees the same digits in a phone and a wa_id', () => {
      expect(phoneSimilarity('+447700900123', '447700900123')).toBe('same_phone_number');
    });

    it('leaves different numbers alone', () => {
      expect(phoneSimilarity('+447700900123', '+447700900124')).toBeNull();
      expect(phoneSimilarity('+447700900123', '+4477009001')).toBeNull();
      expect(phoneSimilarity('+4412', '4412')).toBeNull();
    });
  });
});
