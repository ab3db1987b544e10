import { parseProviderJson } from './provider-json';

describe('parseProviderJson', () => {
  it('keeps 19-digit integers exact as strings', () => {
    expect(parseProviderJson('{"ID": 4323372036854775807, "n": 42}')).toEqual({ ID: '4323372036854775807', n: 42 });
  });

  it('leaves safe integers, decimals and digits inside strings untouched', () => {
    const text = '{"a": 9007199254740991, "b": 1.5, "c": "x: 12345678901234567890,", "d": [12345678901234567890]}';
    expect(parseProviderJson(text)).toEqual({ a: 9007199254740991, b: 1.5, c: 'x: 12345678901234567890,', d: ['12345678901234567890'] });
  });

  it('handles escaped quotes in strings and throws on malformed JSON', () => {
    expect(parseProviderJson('{"t": "say \\"hi\\" 12345678901234567890"}')).toEqual({ t: 'say "hi" 12345678901234567890' });
    expect(() => parseProviderJson('{"a": ')).toThrow(SyntaxError);
  });
});
