const MASK = '••••';

/**
 * How a secret is shown back to API callers: enough of its tail to recognise which one is
 * configured, never enough to use it. Short secrets show nothing at all.
 */
export function maskSecret(value: string): string {
  return value.length < 8 ? MASK : `${MASK}${value.slice(-4)}`;
}
