import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { lineBatches, OverlongLine } from '../src/streams/line-batches.ts';

async function linesOf(chunks: Iterable<string | Buffer>, maxLineChars = 1024): Promise<(string | OverlongLine)[]> {
  const out: (string | OverlongLine)[] = [];
  const bytes = Readable.from((function* () {
    for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c;
  })(), { objectMode: false });
  for await (const batch of lineBatches(bytes, maxLineChars)) out.push(...batch);
  return out;
}

async function readlineOf(text: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of createInterface({ input: Readable.from([Buffer.from(text)]), crlfDelay: Infinity })) out.push(line);
  return out;
}

describe('lineBatches', () => {
  it.each([
    ['a|b\nc|d\n'],
    ['a|b\r\nc|d\r\n'],
    ['no final break'],
    ['mac\rlines\r'],
    ['blank\n\n\nlines\n'],
    ['x\n\r\ny'],
    [''],
  ])('splits %j as readline does, whatever the chunking', async (text) => {
    const expected = await readlineOf(text);
    expect(await linesOf([text])).toEqual(expected);
    // Every cut point, including one between \r and \n.
    for (let cut = 1; cut < text.length; cut++) {
      expect(await linesOf([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    }
    // One character a chunk: a \r\n and a lone \n after it in separate chunks.
    expect(await linesOf([...text])).toEqual(expected);
  });

  it('keeps a multi-byte character whose bytes arrive in two chunks', async () => {
    const bytes = Buffer.from('Société Générale|SG\n');
    expect(await linesOf([bytes.subarray(0, 5), bytes.subarray(5)])).toEqual(['Société Générale|SG']);
  });

  it('gives a line over the cap as an OverlongLine (length and head) and goes on with the next, whatever the chunking', async () => {
    const text = `ok\n${'x'.repeat(10)}\r\nyyyy\nnext\r${'z'.repeat(6)}`;
    const expected = ['ok', new OverlongLine(10, 'xxxx'), 'yyyy', 'next', new OverlongLine(6, 'zzzz')];
    expect(await linesOf([text], 4)).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) expect(await linesOf([text.slice(0, cut), text.slice(cut)], 4)).toEqual(expected);
    expect(await linesOf([...text], 4)).toEqual(expected);
  });

  it('passes a 16 MB line without a line break in one linear pass, holding only its head', async () => {
    const piece = Buffer.alloc(64 * 1024, 'x');
    function* hostile() {
      for (let i = 0; i < 256; i++) yield piece;
      yield Buffer.from('\na|b\n');
    }
    const started = performance.now();
    const lines = await linesOf(hostile());
    // Joining the partial line to each chunk and splitting it from the start took 3.4-6.7 s and 265 MB here.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(lines).toEqual([new OverlongLine(16 * 1024 * 1024, 'x'.repeat(1024)), 'a|b']);
  });
});
