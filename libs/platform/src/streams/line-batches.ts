import type { Readable } from 'node:stream';

const LINE_BREAK = /\r\n|\n|\r/;

/** A line longer than the cap: how long it was and its first characters; the rest was counted, never held. */
export class OverlongLine {
  constructor(readonly length: number, readonly head: string) {}
}

/**
 * The lines of a UTF-8 text stream, one batch per chunk read: one await per chunk instead of one per line, which is
 * what readline's async iterator costs (about a microsecond a line, a tenth of a worker's CPU on a backfill).
 * Line breaks are those readline knows (\r\n, \n, a lone \r), a \r\n split across two chunks included; a last line
 * without a line break is still a line. A line longer than `maxLineChars` comes out as an OverlongLine holding its
 * first `maxLineChars` characters, so a hostile file without line breaks costs one pass and no memory: each chunk
 * is split on its own, and only the partial line's head is carried to the next.
 */
export async function* lineBatches(input: Readable, maxLineChars: number): AsyncGenerator<(string | OverlongLine)[]> {
  input.setEncoding('utf8');
  let head = '';
  let length = 0;
  // The chunk before ended with \r, already taken as a line break: a \n opening this chunk completes it.
  let afterCr = false;
  const carry = (text: string) => {
    if (head.length < maxLineChars) head += text.length <= maxLineChars - head.length ? text : text.slice(0, maxLineChars - head.length);
    length += text.length;
  };
  const take = (): string | OverlongLine => {
    const line = length > maxLineChars ? new OverlongLine(length, head) : head;
    head = '';
    length = 0;
    return line;
  };
  for await (let chunk of input as AsyncIterable<string>) {
    if (afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    afterCr = chunk.endsWith('\r');
    if (chunk === '') continue;
    // Splitting on one character is a third of the regular expression's cost, and most files have no \r at all.
    const parts = chunk.includes('\r') ? chunk.split(LINE_BREAK) : chunk.split('\n');
    const rest = parts.pop()!;
    if (parts.length === 0) {
      carry(rest);
      continue;
    }
    carry(parts[0]!);
    const lines: (string | OverlongLine)[] = [take()];
    for (let i = 1; i < parts.length; i++) {
      const part = parts[i]!;
      lines.push(part.length > maxLineChars ? new OverlongLine(part.length, part.slice(0, maxLineChars)) : part);
    }
    carry(rest);
    yield lines;
  }
  if (length > 0) yield [take()];
}
