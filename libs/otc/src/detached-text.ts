/**
 * A copy of a text read from a line, not a V8 slice of it: the slice would keep the line's whole 64 KiB chunk alive as
 * long as the text is held (15 MB more at the peak of a week of 104,000 symbols out of order, by their issue names).
 */
export function detached(text: string): string {
  return (' ' + text).slice(1);
}
