import { describe, expect, it } from 'vitest';
import { lineAccounting } from '@spine/platform/quality/quality-store';
import { marketShareSum, tierVolumeSwing, venueCountDrop } from '../src/quality-rules.ts';

describe('quality rules', () => {
  it('market shares must sum to 100 within 0.01', () => {
    expect(marketShareSum(100.01, 3).status).toBe('PASS');
    expect(marketShareSum(99.98, 3).status).toBe('FAIL');
    expect(marketShareSum(null, 0).status).toBe('PASS');
  });

  it('venue count drops over 20% warn', () => {
    expect(venueCountDrop(10, 8).status).toBe('PASS');
    expect(venueCountDrop(10, 7).status).toBe('WARN');
    expect(venueCountDrop(null, 3).status).toBe('PASS');
  });

  it('tier volume swings over 50% warn, exactly for share counts beyond 2^53', () => {
    expect(tierVolumeSwing(100n, 150n).status).toBe('PASS');
    expect(tierVolumeSwing(100n, 151n).status).toBe('WARN');
    expect(tierVolumeSwing(100n, 49n).status).toBe('WARN');
    expect(tierVolumeSwing(2n ** 60n, 2n ** 60n + 1n).status).toBe('PASS');
    expect(tierVolumeSwing(0n, 5n).status).toBe('PASS');
  });

  it('line accounting fails when a line is lost', () => {
    expect(lineAccounting(9, 1, 10).status).toBe('PASS');
    expect(lineAccounting(8, 1, 10).status).toBe('FAIL');
  });
});
