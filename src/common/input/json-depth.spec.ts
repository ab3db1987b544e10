import { exceedsJsonDepth } from './json-depth';

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
