import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfterMs } from '../src/finra-api/backoff.ts';

describe('backoffDelayMs', () => {
  it('draws from [0, base * 2^(failures-1)], capped by the maximum', () => {
    expect(backoffDelayMs(1, 100, 10_000, () => 0)).toBe(0);
    expect(backoffDelayMs(1, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffDelayMs(4, 100, 10_000, () => 0.5)).toBe(400);
    expect(backoffDelayMs(20, 100, 10_000, () => 0.5)).toBe(5000);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2025-12-15T12:00:00Z');

  it('reads delta-seconds', () => {
    expect(parseRetryAfterMs('7', now)).toBe(7000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP-date, never negative', () => {
    expect(parseRetryAfterMs('Mon, 15 Dec 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Mon, 15 Dec 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unusable header', () => {
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
  });
});
