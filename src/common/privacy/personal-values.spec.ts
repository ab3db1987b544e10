import { ERASED, mentions, needlesOf, scrubMentions } from './personal-values';

describe('personal values', () => {
  const needles = needlesOf([
    { kind: 'email', value: 'jane@example.com' },
    { kind: 'phone', value: '+4915112345678' },
    { kind: 'telegram', value: '987654321' },
  ]);

  it('matches a phone by its digits too, and emails case-insensitively', () => {
    expect(needles).toEqual(expect.arrayContaining(['+4915112345678', '4915112345678', 'jane@example.com', '987654321']));
    expect(mentions({ From: 'Jane <JANE@Example.com>' }, needles)).toBe(true);
    expect(mentions({ wa_id: '4915112345678' }, needles)).toBe(true);
  });

  it('matches digit-only ids as whole numbers, never inside a longer one', () => {
    expect(mentions({ from: { id: 987654321 } }, needles)).toBe(true);
    expect(mentions({ id: '19876543210' }, needles)).toBe(false);
    expect(mentions({ id: 9876543210 }, needles)).toBe(false);
    expect(mentions({ text: 'call 987654321 now' }, needles)).toBe(true);
  });

  it('scrubs every mention and leaves the rest', () => {
    expect(scrubMentions({ a: 'mail jane@example.com', b: [987654321, 5], c: { d: 'kept' } }, needles)).toEqual({ a: `mail ${ERASED}`, b: [ERASED, 5], c: { d: 'kept' } });
  });

  it('has nothing to match without identifiers', () => {
    expect(mentions({ a: 'x' }, [])).toBe(false);
  });
});
