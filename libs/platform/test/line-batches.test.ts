import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { lineBatches } from '../src/streams/line-batches.ts';

async function linesOf(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of lineBatches(Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)), { objectMode: false }))) out.push(...batch);
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
  });

  it('keeps a multi-byte character whose bytes arrive in two chunks', async () => {
    const bytes = Buffer.from('Société Générale|SG\n');
    expect(await linesOf([bytes.subarray(0, 5), bytes.subarray(5)])).toEqual(['Société Générale|SG']);
  });
});
