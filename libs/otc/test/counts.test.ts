import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCount, shortCountAt } from '../src/counts.ts';

describe('counts', () => {
  it('reads up to fifteen digits as a number and more as a bigint, exactly', () => {
    expect(parseCount('999999999999999')).toBe(999_999_999_999_999);
    expect(parseCount('9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(parseCount('000000000000000007')).toBe(7n);
  });

  it('reads 1 to 18 digits in a line as parseCount reads them alone, and nothing else', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 18 }), fc.string({ maxLength: 3 }), (digits, around) => {
      const line = `${around}|${digits}|${around}`;
      const from = around.length + 1;
      expect(shortCountAt(line, from, from + digits.length)).toEqual(parseCount(digits));
    }));
    const at = (text: string) => shortCountAt(`|${text}|`, 1, text.length + 1);
    expect([at('123456789012345'), at('1234567890123456'), at('999999999999999999'), at('0')]).toEqual([123_456_789_012_345, 1_234_567_890_123_456n, 999_999_999_999_999_999n, 0]);
    expect([at(''), at('1234567890123456789'), at('-1'), at('+1'), at(' 1'), at('1a'), at('1.5'), at('/'), at(':')]).toEqual(Array(9).fill(undefined));
  });
});
