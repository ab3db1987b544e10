import { storableProviderJson, storableReason, storableText } from './provider-text';

describe('storable provider text', () => {
  it('replaces NUL and lone surrogates with U+FFFD and keeps valid pairs', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('ab\ud800cd')).toBe('ab\uFFFDcd');
    expect(storableText('x\udc00')).toBe('x\uFFFD');
    expect(storableText('emoji 😀 ok')).toBe('emoji 😀 ok');
  });

  it('walks keys, arrays and nested objects, leaving other values alone', () => {
    expect(storableProviderJson({ 'k\u0000': ['a\u0000', { t: 'b\ud800' }, 1, true, null] })).toEqual({ 'k\uFFFD': ['a\uFFFD', { t: 'b\uFFFD' }, 1, true, null] });
  });

  it('a reason cut in the middle of a surrogate pair is still storable', () => {
    expect(storableReason(`${'x'.repeat(9)}😀`, 10)).toBe(`${'x'.repeat(9)}\uFFFD`);
  });
});
