import { findUnsafeText, isUnsafeText } from './unsafe-text';

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
