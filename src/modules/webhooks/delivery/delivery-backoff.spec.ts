import { deliveryRetryDelayMs, MAX_RETRY_DELAY_MS } from './delivery-backoff';

describe('deliveryRetryDelayMs', () => {
  it('doubles from the base with ±25 % jitter', () => {
    expect(deliveryRetryDelayMs(1, 1000, () => 0.5)).toBe(1000);
    expect(deliveryRetryDelayMs(4, 1000, () => 0.5)).toBe(8000);
    expect(deliveryRetryDelayMs(2, 1000, () => 0)).toBe(1500);
    expect(deliveryRetryDelayMs(2, 1000, () => 1)).toBe(2500);
  });

  it('never waits much more than an hour', () => {
    expect(deliveryRetryDelayMs(40, 30_000, () => 1)).toBe(MAX_RETRY_DELAY_MS * 1.25);
  });
});
