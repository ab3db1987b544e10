import { maskSecret } from './mask-secret';

describe('maskSecret', () => {
  it('shows only the last 4 characters of secrets of 8 or more', () => {
    expect(maskSecret('EAAGm0PX4ZCpsBA3f9a')).toBe('••••3f9a');
    expect(maskSecret('12345678')).toBe('••••5678');
  });

  it('shows nothing of short secrets', () => {
    expect(maskSecret('1234567')).toBe('••••');
    expect(maskSecret('')).toBe('••••');
  });
});
