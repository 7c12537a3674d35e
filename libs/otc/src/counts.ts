/**
 * A share quantity or trade count: a number while it is a safe integer, exactly; a bigint beyond (the validator lets
 * 18 digits through). Numbers keep the per-line arithmetic free of BigInt allocations.
 */
export type Count = number | bigint;

/**
 * A validated count's text as a Count, by its value (zero-padding does not make a bigint). A number read past 2^53 - 1
 * (either sign) may be rounded, but only to 2^53 or more: the safe-integer test is exact.
 */
export function parseCount(text: string): Count {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

/**
 * The count written from `from` to `to` in `text` when it is 1 to 18 digits, read as parseCount reads it; undefined
 * for anything else. One pass over the digits, instead of a pattern test, a slice and a parse.
 */
export function shortCountAt(text: string, from: number, to: number): Count | undefined {
  const length = to - from;
  if (length < 1 || length > 18) return undefined;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  // Each step's value is exact until the count passes 2^53 - 1, and from there on it stays past it.
  return Number.isSafeInteger(value) ? value : BigInt(text.slice(from, to));
}

/** `a + b` exactly for counts that are not negative: a number while the sum is a safe integer, else a bigint. */
export function addCounts(a: Count, b: Count): Count {
  if (typeof a === 'number' && typeof b === 'number') {
    const sum = a + b;
    // Past 2^53 - 1 the sum may have been rounded, but only to 2^53 or more: the test is exact.
    if (sum <= Number.MAX_SAFE_INTEGER) return sum;
  }
  return BigInt(a) + BigInt(b);
}
