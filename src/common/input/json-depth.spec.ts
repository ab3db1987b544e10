import { exceedsJsonDepth } from './json-depth';
import { findUnsafeText, isUnsafeText } from './unsafe-text';

describe('exceedsJsonDepth', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('accepts nesting up to the cap and refuses one level more', () => {
    expect(exceedsJsonDepth(nested(64))).toBe(false);
    expect(exceedsJsonDepth(nested(65))).toBe(true);
    expect(exceedsJsonDepth(`{"a":${nested(70)}}`, 100)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(exceedsJsonDepth(JSON.stringify({ s: '['.repeat(500), t: 'say \\"[[[[' }), 3)).toBe(false);
  });

  it('scans a 100,000-deep body without overflowing the stack', () => {
    expect(exceedsJsonDepth(nested(100_000))).toBe(true);
  });
});

describe('findUnsafeText', () => {
  it('finds NUL and lone surrogates in values and keys, and names the field', () => {
    expect(findUnsafeText({ name: 'ab\ud800cd' })).toBe('name');
    expect(findUnsafeText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toBe('a[1].c');
    expect(findUnsafeText({ ['k\udc00']: 1 })).toBe('k\udc00');
    expect(findUnsafeText('tail\udbff')).toBe('value');
  });

  it('accepts well-formed text, emoji (surrogate pairs) included', () => {
    expect(findUnsafeText({ name: 'Zoë 😀', list: ['日本', 1, null, true] })).toBeUndefined();
    expect(isUnsafeText('😀')).toBe(false);
    expect(isUnsafeText('\ud83d')).toBe(true);
  });
});
