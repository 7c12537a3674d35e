import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCounts, parseCount, shortCountAt } from '../src/counts.ts';

describe('counts', () => {
  it('reads a count up to 2^53 - 1 as a number and a larger one as a bigint, exactly, zero-padded or not', () => {
    expect([parseCount('9007199254740991'), parseCount('9007199254740992'), parseCount('9007199254740993')])
      .toEqual([9_007_199_254_740_991, 9_007_199_254_740_992n, 9_007_199_254_740_993n]);
    expect([parseCount('000000000000000007'), parseCount('-0'), parseCount('999999999999999999'), parseCount('-9007199254740993')])
      .toEqual([7, -0, 999_999_999_999_999_999n, -9_007_199_254_740_993n]);
  });

  it('reads 1 to 18 digits in a line as parseCount reads them alone, and nothing else', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 18 }), fc.string({ maxLength: 3 }), (digits, around) => {
      const line = `${around}|${digits}|${around}`;
      const from = around.length + 1;
      expect(shortCountAt(line, from, from + digits.length)).toEqual(parseCount(digits));
    }));
    const at = (text: string) => shortCountAt(`|${text}|`, 1, text.length + 1);
    expect([at('9007199254740991'), at('9007199254740992'), at('000000000000001234'), at('999999999999999999'), at('0')])
      .toEqual([9_007_199_254_740_991, 9_007_199_254_740_992n, 1234, 999_999_999_999_999_999n, 0]);
    expect([at(''), at('1234567890123456789'), at('-1'), at('+1'), at(' 1'), at('1a'), at('1.5'), at('/'), at(':')]).toEqual(Array(9).fill(undefined));
  });
});

describe('addCounts', () => {
  it('adds numbers while the sum is a safe integer and bigints past it, exactly', () => {
    expect(addCounts(Number.MAX_SAFE_INTEGER - 1, 1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(addCounts(Number.MAX_SAFE_INTEGER, 1)).toBe(2n ** 53n);
    expect(addCounts(Number.MAX_SAFE_INTEGER, 2)).toBe(2n ** 53n + 1n);
    const count = fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.bigInt({ min: 2n ** 53n, max: 10n ** 18n }));
    fc.assert(fc.property(count, count, (a, b) => {
      const sum = addCounts(a, b);
      expect(BigInt(sum)).toBe(BigInt(a) + BigInt(b));
      expect(typeof sum).toBe(typeof a === 'number' && typeof b === 'number' && BigInt(a) + BigInt(b) <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'bigint');
    }));
  });
});
