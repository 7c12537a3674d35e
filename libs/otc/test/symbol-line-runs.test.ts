import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spoolRoot } from '@spine/platform/storage/spool';
import { SymbolLineRuns } from '../src/symbol-line-runs.ts';
import { SymbolWeekGroups, type AcceptedLine, type SymbolWeekRow } from '../src/symbol-week-results.ts';

const INT64_MAX = 2n ** 63n - 1n;

const line = fc.record({
  symbol: fc.constantFrom('A', 'AA', 'B', 'BRK.A', 'BRK-B', 'Z9', 'ZZZZ'),
  mpid: fc.constantFrom('NITE', 'VIRT', 'UBSA', 'CRD:123', 'DE_MINIMIS'),
  // Names hold tabs and backslashes, never the file's '|' or a line break: the validator's lines are split on those.
  issueName: fc.string({ maxLength: 40 }).map((s) => s.replace(/[|\r\n]/g, '')),
  // Held as numbers up to 2^53, aside as bigints beyond (ingest's counts are both).
  shares: fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.bigInt({ min: -INT64_MAX - 1n, max: INT64_MAX })),
  trades: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.bigInt({ min: 0n, max: INT64_MAX })),
});

/** A count by value, whichever type it is held in. */
const exact = (l: AcceptedLine) => ({ symbol: l.symbol, lineNumber: l.lineNumber, mpid: l.mpid, shares: BigInt(l.shares), trades: BigInt(l.trades) });

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
        expect(out.map(exact)).toEqual(expected.map(exact));
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

  it('tallies the rows of the lines grouped by symbol, held or spilled, and names the symbols with a repeated MPID', async () => {
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 200 }), fc.integer({ min: 1, max: 400 }), async (drawn, perSpill) => {
      // Validated counts are not negative.
      const lines = drawn.map((l, i) => ({ ...l, shares: typeof l.shares === 'bigint' && l.shares < 0n ? -l.shares : l.shares, lineNumber: i + 2 }));
      // What grouping the lines in order gives: SymbolWeekGroups over them sorted by symbol, then line.
      const groups = new SymbolWeekGroups();
      const expectedRows: SymbolWeekRow[] = [];
      const expectedDuplicates = new Set<string>();
      for (const l of [...lines].sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : a.lineNumber - b.lineNumber))) {
        const verdict = groups.add(l);
        if ('duplicateOf' in verdict) expectedDuplicates.add(l.symbol);
        else if (verdict.finished) expectedRows.push(verdict.finished);
      }
      const last = groups.finish();
      if (last) expectedRows.push(last);

      const runs = new SymbolLineRuns(1);
      try {
        for (const [i, l] of lines.entries()) {
          runs.add(l);
          if ((i + 1) % perSpill === 0) await runs.spill();
        }
        const rows: SymbolWeekRow[] = [];
        const duplicates = new Set<string>();
        for await (const batch of runs.symbolWeeks(duplicates)) rows.push(...batch);
        const byValue = (r: SymbolWeekRow) => ({ ...r, totalVolume: BigInt(r.totalVolume), totalTrades: BigInt(r.totalTrades) });
        expect(rows.map(byValue)).toEqual(expectedRows.map(byValue));
        expect([...duplicates].sort()).toEqual([...expectedDuplicates].sort());
      } finally {
        await runs.dispose();
      }
    }), { numRuns: 80 });
  });

  it('counts a count too large for a number against its memory bound, and only such a count', () => {
    const fill = (shares: number | bigint) => {
      const runs = new SymbolLineRuns(1000);
      for (let i = 0; i < 10; i++) runs.add({ lineNumber: i + 2, symbol: 'S', mpid: 'NITE', issueName: 'x', shares, trades: 1 });
      return runs.full;
    };
    // Ten lines of one symbol and MPID are estimated below 1,000 bytes; each bigint kept aside adds to that.
    expect([fill(Number.MAX_SAFE_INTEGER), fill(2n ** 53n)]).toEqual([false, true]);
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
