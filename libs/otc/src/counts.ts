/**
 * A share quantity or trade count: a number while it is a safe integer, exactly; a bigint beyond (the validator lets
 * 18 digits through). Numbers keep the per-line arithmetic free of BigInt allocations.
 */
export type Count = number | bigint;

/** A validated count's text as a Count: fifteen digits are below 2^53. */
export function parseCount(text: string): Count {
  return text.length <= 15 ? Number(text) : BigInt(text);
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
  return length <= 15 ? value : BigInt(text.slice(from, to));
}
