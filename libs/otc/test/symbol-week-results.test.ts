import { describe, expect, it } from 'vitest';
import { fixedPoint, roundedQuotient, SymbolWeekGroups, type AcceptedLine } from '../src/symbol-week-results.ts';

const line = (lineNumber: number, symbol: string, mpid: string, shares: number | bigint, trades: number | bigint, issueName = `${symbol} Inc`): AcceptedLine =>
  ({ lineNumber, symbol, mpid, issueName, shares: BigInt(shares), trades: BigInt(trades) });

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
      { symbol: 'AAPL', issueName: 'Apple Inc', venueCount: 2, totalVolume: 4000n, totalTrades: 30n, avgTradeSize: '133.33',
        liquidityScore: '266.66', hhi: '0.625000', topMpid: 'VIRT', topVenueSharePct: '75.0000' },
      { symbol: 'BRK.A', issueName: 'BRK.A Inc', venueCount: 1, totalVolume: 3_000_000_000n, totalTrades: 3n, avgTradeSize: '1000000000.00',
        liquidityScore: '1000000000.00', hhi: '1.000000', topMpid: 'UBSA', topVenueSharePct: '100.0000' },
      { symbol: 'ZERO', issueName: 'ZERO Inc', venueCount: 1, totalVolume: 0n, totalTrades: 0n, avgTradeSize: '0.00', liquidityScore: '0.00',
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
    expect(rows).toMatchObject([{ symbol: 'A', venueCount: 2, totalVolume: 20n }]);
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

describe('fixedPoint', () => {
  it('writes integer units as decimal text', () => {
    expect([fixedPoint(12345n, 2), fixedPoint(5, 2), fixedPoint(0n, 4), fixedPoint(7n, 0)]).toEqual(['123.45', '0.05', '0.0000', '7']);
  });
});
