import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spoolRoot } from '@spine/platform/storage/spool';
import { SymbolLineRuns } from '../src/symbol-line-runs.ts';
import type { AcceptedLine } from '../src/symbol-week-results.ts';

const INT64_MAX = 2n ** 63n - 1n;

const line = fc.record({
  symbol: fc.constantFrom('A', 'AA', 'B', 'BRK.A', 'BRK-B', 'Z9', 'ZZZZ'),
  mpid: fc.constantFrom('NITE', 'VIRT', 'UBSA', 'CRD:123', 'DE_MINIMIS'),
  // Names hold tabs and backslashes, never the file's '|' or a line break: the validator's lines are split on those.
  issueName: fc.string({ maxLength: 40 }).map((s) => s.replace(/[|\r\n]/g, '')),
  shares: fc.bigInt({ min: -INT64_MAX - 1n, max: INT64_MAX }),
  trades: fc.bigInt({ min: 0n, max: INT64_MAX }),
});

async function readAll(runs: SymbolLineRuns): Promise<AcceptedLine[]> {
  const out: AcceptedLine[] = [];
  for await (const batch of runs.grouped()) out.push(...batch);
  return out;
}

describe('SymbolLineRuns', () => {
  it('hands lines back grouped by symbol in ascending order, each symbol\'s in the order they came, spilled or not', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), async (drawn, perSpill) => {
      const lines = drawn.map((l, i) => ({ ...l, lineNumber: i + 2 }));
      const runs = new SymbolLineRuns(1);
      try {
        for (const [i, l] of lines.entries()) {
          runs.add(l);
          if ((i + 1) % perSpill === 0) await runs.spill();
        }
        const out = await readAll(runs);
        const expected = [...lines].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.lineNumber - b.lineNumber));
        expect(out.map(({ symbol, lineNumber, mpid, shares, trades }) => ({ symbol, lineNumber, mpid, shares, trades })))
          .toEqual(expected.map(({ symbol, lineNumber, mpid, shares, trades }) => ({ symbol, lineNumber, mpid, shares, trades })));
        // The issue name read back for a symbol is that of its first line.
        const firstOf = new Map<string, string>();
        for (const l of lines) if (!firstOf.has(l.symbol)) firstOf.set(l.symbol, l.issueName);
        const firstOut = out.filter((l, i) => i === 0 || out[i - 1]!.symbol !== l.symbol);
        expect(firstOut.map((l) => [l.symbol, l.issueName])).toEqual([...firstOf].sort(([a], [b]) => (a < b ? -1 : 1)));
      } finally {
        await runs.dispose();
      }
    }), { numRuns: 60 });
  });

  it('spills once its estimated size passes the bound, and leaves no file behind', async () => {
    const runs = new SymbolLineRuns(4096);
    const at = (i: number): AcceptedLine => ({ lineNumber: i + 2, symbol: `S${i % 97}`, mpid: 'NITE', issueName: 'x', shares: BigInt(i), trades: 1n });
    let i = 0;
    while (!runs.full) runs.add(at(i++));
    expect(i).toBeGreaterThan(5);
    await runs.spill();
    expect(runs.full).toBe(false);
    for (let k = 0; k < 10; k++) runs.add(at(i++));
    expect(runs.spilled).toBe(1);
    expect((await readAll(runs)).length).toBe(i);
    await runs.dispose();
    expect(readdirSync(spoolRoot()).filter((d) => d.startsWith('symbol-lines-'))).toEqual([]);
  });
});
