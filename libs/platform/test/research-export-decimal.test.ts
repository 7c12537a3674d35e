import { describe, expect, it } from 'vitest';
import { DECIMAL_SCALE, unscaledDecimal } from '../src/research/export-files.ts';

describe('unscaledDecimal: a numeric\'s text as DECIMAL(38, 6)\'s unscaled value', () => {
  it('scales exactly, beyond what a float64 holds', () => {
    expect(DECIMAL_SCALE).toBe(6);
    expect(unscaledDecimal('0')).toBe(0n);
    expect(unscaledDecimal('1234.25')).toBe(1_234_250_000n);
    expect(unscaledDecimal('987654321098765.123456')).toBe(987_654_321_098_765_123_456n);
    expect(unscaledDecimal('-0.000001')).toBe(-1n);
    expect(unscaledDecimal('5.1000000000')).toBe(5_100_000n);
    expect(unscaledDecimal('7.')).toBe(7_000_000n);
  });

  it('refuses more places than the scale, and what is no decimal, rather than round', () => {
    expect(() => unscaledDecimal('1.0000001')).toThrow('export: 1.0000001 has more than 6 decimal places');
    expect(() => unscaledDecimal('1e5')).toThrow('export: "1e5" is not a decimal');
  });
});
