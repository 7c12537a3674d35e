import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCount } from '../src/counts.ts';
import { fixedPoint, roundedQuotient, SymbolTally, SymbolWeekGroups, type AcceptedLine } from '../src/symbol-week-results.ts';

// Counts as ingest parses them: numbers while they are safe integers, bigints beyond.
const line = (lineNumber: number, symbol: string, mpid: string, shares: number | bigint, trades: number | bigint, issueName = `${symbol} Inc`): AcceptedLine =>
  ({ lineNumber, symbol, mpid, issueName, shares: parseCount(String(shares)), trades: parseCount(String(trades)) });

function feed(lines: AcceptedLine[]) {
  const groups = new SymbolWeekGroups();
  const rows = [];
  const duplicates: [number, number][] = [];
  for (const l of lines) {
    const verdict = groups.add(l);
    if ('duplicateOf' in verdict) duplicates.push([l.lineNumber, verdict.duplicateOf]);
    else if (verdict.finished) rows.push(verdict.finished);
  }
  const last = groups.finish();
  if (last) rows.push(last);
  return { rows, duplicates, grouped: groups.grouped };
}

describe('roundedQuotient', () => {
  it('rounds the exact quotient half-up', () => {
    expect(roundedQuotient(1n, 8n, 2)).toBe('0.13'); // 0.125
    expect(roundedQuotient(1n, 3n, 2)).toBe('0.33');
    expect(roundedQuotient(2n, 3n, 6)).toBe('0.666667');
    expect(roundedQuotient(5n, 1n, 4)).toBe('5.0000');
    expect(roundedQuotient(12345n, 100n, 2)).toBe('123.45');
    expect(roundedQuotient(1n, 2n, 0)).toBe('1');
    expect(roundedQuotient(0n, 7n, 2)).toBe('0.00');
  });
});

describe('SymbolWeekGroups', () => {
  it('computes summary, concentration and liquidity per symbol as DOMAIN.md defines them', () => {
    const { rows, grouped } = feed([
      line(2, 'AAPL', 'NITE', 1000, 10, 'Apple Inc'),
      line(3, 'AAPL', 'VIRT', 3000, 20, 'Apple Inc (later line)'),
      line(4, 'BRK.A', 'UBSA', 3_000_000_000n, 3),
      line(5, 'ZERO', 'UBSA', 0, 0),
    ]);
    expect(grouped).toBe(true);
    expect(rows).toEqual([
      { symbol: 'AAPL', issueName: 'Apple Inc', venueCount: 2, totalVolume: 4000, totalTrades: 30, avgTradeSize: '133.33',
        liquidityScore: '266.66', hhi: '0.625000', topMpid: 'VIRT', topVenueSharePct: '75.0000' },
      // 3,000,000,000 squared is past 2^53: this symbol's sums are bigints.
      { symbol: 'BRK.A', issueName: 'BRK.A Inc', venueCount: 1, totalVolume: 3_000_000_000n, totalTrades: 3n, avgTradeSize: '1000000000.00',
        liquidityScore: '1000000000.00', hhi: '1.000000', topMpid: 'UBSA', topVenueSharePct: '100.0000' },
      { symbol: 'ZERO', issueName: 'ZERO Inc', venueCount: 1, totalVolume: 0, totalTrades: 0, avgTradeSize: '0.00', liquidityScore: '0.00',
        hhi: null, topMpid: 'UBSA', topVenueSharePct: null },
    ]);
  });

  it('is exact beyond 2^53, where floating point is not', () => {
    const { rows } = feed([line(2, 'BIG', 'NITE', 9007199254740993n, 3), line(3, 'BIG', 'VIRT', 9007199254740993n, 1), line(4, 'BIG', 'ABCD', 7, 0)]);
    expect(rows[0]).toMatchObject({ totalVolume: 18014398509481993n, totalTrades: 4n, topMpid: 'NITE', avgTradeSize: '4503599627370498.25',
      topVenueSharePct: '50.0000' });
  });

  it('breaks a tie for the top venue towards the MPID first in byte order', () => {
    const { rows } = feed([line(2, 'X', 'VIRT', 500, 1), line(3, 'X', 'NITE', 500, 1), line(4, 'X', 'ABCD', 100, 1)]);
    expect(rows[0]).toMatchObject({ topMpid: 'NITE', topVenueSharePct: '45.4545', hhi: '0.421488' });
  });

  it('keeps the first line of a repeated symbol x MPID and names it on the later ones', () => {
    const { rows, duplicates } = feed([line(2, 'A', 'NITE', 10, 1), line(3, 'A', 'VIRT', 10, 1), line(4, 'A', 'NITE', 99, 9), line(5, 'A', 'NITE', 7, 1)]);
    expect(duplicates).toEqual([[4, 2], [5, 2]]);
    expect(rows).toMatchObject([{ symbol: 'A', venueCount: 2, totalVolume: 20 }]);
  });

  it('takes an MPID of an earlier symbol as a new venue of the next, also past the MPIDs it keeps', () => {
    const { rows, duplicates } = feed([line(2, 'A', 'NITE', 10, 1), line(3, 'B', 'NITE', 20, 2), line(4, 'B', 'NITE', 5, 1), line(5, 'C', 'NITE', 30, 3)]);
    expect(duplicates).toEqual([[4, 3]]);
    expect(rows.map((r) => [r.symbol, r.venueCount, r.totalVolume])).toEqual([['A', 1, 10], ['B', 1, 20], ['C', 1, 30]]);
    // 5,000 symbols on one venue each, every venue a new MPID, then each symbol's MPID again on a second line.
    const mpid = (i: number) => i.toString(36).toUpperCase().padStart(4, '0');
    const many = feed(Array.from({ length: 5000 }, (_, i) => [line(10 + 2 * i, `S${String(i).padStart(5, '0')}`, mpid(i), 1, 1),
      line(11 + 2 * i, `S${String(i).padStart(5, '0')}`, mpid(i), 2, 1)]).flat());
    expect(many.duplicates).toEqual(Array.from({ length: 5000 }, (_, i) => [11 + 2 * i, 10 + 2 * i]));
    expect(many.rows.every((r) => r.venueCount === 1 && r.totalVolume === 1)).toBe(true);
  });

  it('notices a file that is not grouped by symbol and hands out no rows from then on', () => {
    const { rows, grouped } = feed([line(2, 'B', 'NITE', 1, 1), line(3, 'A', 'NITE', 1, 1), line(4, 'C', 'NITE', 1, 1)]);
    expect(grouped).toBe(false);
    expect(rows).toEqual([]); // and the caller discards the rows handed out before
  });

  it('takes a symbol that comes back after another for a file out of order', () => {
    expect(feed([line(2, 'A', 'NITE', 1, 1), line(3, 'B', 'NITE', 1, 1), line(4, 'A', 'VIRT', 1, 1)]).grouped).toBe(false);
  });
});

describe('roundedQuotient at the edges of the floating-point fast path', () => {
  it('agrees with exact BigInt arithmetic for quotients next to an integer and operands near 2^53', () => {
    const exact = (num: bigint, den: bigint, places: number) => {
      const scaled = (2n * num * 10n ** BigInt(places) + den) / (2n * den);
      const digits = scaled.toString().padStart(places + 1, '0');
      return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    };
    const cases: [bigint, bigint][] = [];
    for (const den of [3n, 7n, 999_999_937n, 2_251_799_813_685_247n]) {
      for (const k of [1n, 2n, 1000n, 123_456_789n]) {
        for (const d of [-1n, 0n, 1n]) {
          const num = (k * den) / 200n + d;
          if (num >= 0n) cases.push([num, den]);
        }
      }
    }
    for (const [num, den] of cases) expect(roundedQuotient(num, den, 2), `${num}/${den}`).toBe(exact(num, den, 2));
  });
});

describe('SymbolTally', () => {
  /** DOMAIN.md's per-symbol figures in BigInt arithmetic alone: what the tally's numbers must agree with. */
  function exactRow(venues: { mpid: string; shares: bigint; trades: bigint }[]) {
    const volume = venues.reduce((a, v) => a + v.shares, 0n);
    const trades = venues.reduce((a, v) => a + v.trades, 0n);
    const sumSquares = venues.reduce((a, v) => a + v.shares * v.shares, 0n);
    const top = venues.reduce((a, v) => (v.shares > a.shares || (v.shares === a.shares && v.mpid < a.mpid) ? v : a));
    const units = (num: bigint, den: bigint, places: number) => (2n * num * 10n ** BigInt(places) + den) / (2n * den);
    const avgCents = trades === 0n ? 0n : units(100n * volume, trades, 0);
    return {
      totalVolume: volume, totalTrades: trades, venueCount: venues.length, topMpid: top.mpid,
      avgTradeSize: fixedPoint(avgCents, 2), liquidityScore: fixedPoint(avgCents * BigInt(venues.length), 2),
      hhi: volume === 0n ? null : fixedPoint(units(sumSquares, volume * volume, 6), 6),
      topVenueSharePct: volume === 0n ? null : fixedPoint(units(100n * top.shares, volume, 4), 4),
    };
  }

  // Around the bounds where the tally leaves numbers: a square past 2^53 (94,906,265), a sum past it, 15 and 18 digits.
  const count = fc.oneof(
    fc.integer({ min: 0, max: 1000 }),
    fc.integer({ min: 94_906_200, max: 94_906_300 }),
    fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
    fc.bigInt({ min: 0n, max: 999_999_999_999_999_999n }),
  ).map((n) => String(n));

  it('agrees with BigInt arithmetic whether its sums stay numbers or leave them', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.record({ mpid: fc.stringMatching(/^[A-Z]{4}$/), shares: count, trades: count }), { minLength: 1, maxLength: 8, selector: (v) => v.mpid }), (venues) => {
      const tally = new SymbolTally();
      for (const v of venues) tally.add(v.mpid, parseCount(v.shares), parseCount(v.trades));
      const row = tally.row('X', 'X Inc')!;
      const exact = exactRow(venues.map((v) => ({ mpid: v.mpid, shares: BigInt(v.shares), trades: BigInt(v.trades) })));
      expect({ ...row, totalVolume: BigInt(row.totalVolume), totalTrades: BigInt(row.totalTrades) }).toMatchObject(exact);
      // And it starts over.
      expect(tally.row('Y', 'Y Inc')).toBeUndefined();
    }), { numRuns: 2000 });
  });
});

describe('fixedPoint', () => {
  it('writes integer units as decimal text', () => {
    expect([fixedPoint(12345n, 2), fixedPoint(5, 2), fixedPoint(0n, 4), fixedPoint(7n, 0)]).toEqual(['123.45', '0.05', '0.0000', '7']);
  });
});
