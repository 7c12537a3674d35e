import { readFile, writeFile } from 'node:fs/promises';
import { mulberry32 } from '@spine/otc-synthetic/prng';

/**
 * The order of a bench week's lines (`--order`): finra, grouped by symbol in ascending order as FINRA writes its
 * files (what the generator writes); venue, each MPID's lines together and in symbol order, one venue after another
 * (a file put together from per-venue exports: sorted runs); shuffled, every line anywhere.
 */
export const ORDERS = ['finra', 'venue', 'shuffled'] as const;
export type Order = (typeof ORDERS)[number];

/** Rewrites a week file (header first) with the same lines in `order`; finra leaves it as the generator wrote it. */
export async function reorderWeekFile(path: string, order: Order): Promise<void> {
  if (order === 'finra') return;
  const [header, ...lines] = (await readFile(path, 'utf8')).trimEnd().split('\n');
  if (order === 'venue') {
    const mpid = (line: string) => line.split('|', 5)[4]!;
    const keyed = lines.map((line) => ({ line, mpid: mpid(line) }));
    // Array sort is stable: within a venue the lines keep the generator's symbol order.
    keyed.sort((a, b) => (a.mpid < b.mpid ? -1 : a.mpid > b.mpid ? 1 : 0));
    keyed.forEach((k, i) => (lines[i] = k.line));
  } else {
    const random = mulberry32(20251205);
    for (let i = lines.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    }
  }
  await writeFile(path, `${header}\n${lines.join('\n')}\n`);
}
