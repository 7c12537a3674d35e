/**
 * The per-symbol results of a week (summary, concentration, liquidity score v1; DOMAIN.md), computed while the
 * week's lines stream past, when the file is grouped by symbol as FINRA writes it: each symbol's lines together,
 * symbols in ascending byte order. Memory holds one symbol's venues. A file that is not grouped is detected (a
 * symbol arriving out of order) and left to the set-based calculation in SQL, which gives the same results.
 *
 * Rounding is exact and half-up on the rational value (integer arithmetic), as the SQL calculation does.
 */

export interface AcceptedLine {
  lineNumber: number;
  symbol: string;
  mpid: string;
  issueName: string;
  shares: bigint;
  trades: bigint;
}

export interface SymbolWeekRow {
  symbol: string;
  /** The issue name on the symbol's first accepted line. */
  issueName: string;
  venueCount: number;
  totalVolume: bigint;
  totalTrades: bigint;
  /** 2 places; 0 without trades. */
  avgTradeSize: string;
  /** The rounded average trade size times the venue count, 2 places. */
  liquidityScore: string;
  /** Sum of squared venue shares of the symbol's volume, 0..1, 6 places; null for a zero-volume symbol. */
  hhi: string | null;
  /** Largest volume, ties to the MPID first in byte order. */
  topMpid: string;
  /** The top venue's share in percent, 4 places; null for a zero-volume symbol. */
  topVenueSharePct: string | null;
}

const SCALES = [1n, 10n, 100n, 1000n, 10_000n, 100_000n, 1_000_000n];
/** Below these, 2 * num * 10^places + 3 * den stays a safe integer: the quotient needs no BigInt arithmetic. */
const FAST_NUM = SCALES.map((scale) => BigInt(Number.MAX_SAFE_INTEGER) / (4n * scale));
const FAST_DEN = BigInt(Math.floor(Number.MAX_SAFE_INTEGER / 6));

/**
 * floor(a / b) for safe integers with a + b safe too: the floating-point quotient can be off by one next to an
 * integer, and the exact products correct it.
 */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/** An integer count of 10^-places units as decimal text: 12345 at 2 places is "123.45". */
export function fixedPoint(units: bigint | number, places: number): string {
  if (places === 0) return String(units);
  const digits = String(units).padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

/** `num / den` rounded half-up to `places` (at most 6) decimals, in units of 10^-places; num >= 0, den > 0. */
function roundedUnits(num: bigint, den: bigint, places: number): number | bigint {
  if (num <= FAST_NUM[places]! && den <= FAST_DEN) {
    const d = Number(den);
    return floorDiv(2 * Number(num) * 10 ** places + d, 2 * d);
  }
  return (2n * num * SCALES[places]! + den) / (2n * den);
}

/** `num / den` rounded half-up to `places` (at most 6) decimals, as text; num >= 0, den > 0. */
export function roundedQuotient(num: bigint, den: bigint, places: number): string {
  return fixedPoint(roundedUnits(num, den, places), places);
}

/** What add() says of a line that neither repeats a key nor ends a symbol: one object for all of them. */
const NOTHING_FINISHED: GroupVerdict = Object.freeze({ finished: undefined });

export type GroupVerdict = { duplicateOf: number } | { finished: SymbolWeekRow | undefined };

/** Feeds accepted lines in file order; says which are duplicate keys and hands out each symbol's row when it ends. */
export class SymbolWeekGroups {
  /** False once a symbol arrived out of order: the rows handed out so far are incomplete and must be discarded. */
  grouped = true;
  private symbol: string | undefined;
  private readonly venues = new Map<string, number>();
  private issueName = '';
  private volume = 0n;
  private trades = 0n;
  private sumSquares = 0n;
  private topMpid = '';
  private topVolume = -1n;

  /**
   * A later line with the same (symbol, mpid) as an earlier one of the group is a duplicate of that line (the
   * first is kept). A symbol change finishes the previous symbol and hands out its row.
   */
  add(line: AcceptedLine): GroupVerdict {
    let finished: SymbolWeekRow | undefined;
    if (line.symbol !== this.symbol) {
      if (this.symbol !== undefined && !(line.symbol > this.symbol)) this.grouped = false;
      finished = this.finish();
      this.symbol = line.symbol;
      this.issueName = line.issueName;
    } else {
      const first = this.venues.get(line.mpid);
      if (first !== undefined) return { duplicateOf: first };
    }
    this.venues.set(line.mpid, line.lineNumber);
    this.volume += line.shares;
    this.trades += line.trades;
    this.sumSquares += line.shares * line.shares;
    if (line.shares > this.topVolume || (line.shares === this.topVolume && line.mpid < this.topMpid)) {
      this.topVolume = line.shares;
      this.topMpid = line.mpid;
    }
    return finished ? { finished } : NOTHING_FINISHED;
  }

  /** Ends the current symbol: its row, or undefined when there is none or the file is not grouped. */
  finish(): SymbolWeekRow | undefined {
    const symbol = this.symbol;
    const venueCount = this.venues.size;
    const { volume, trades, sumSquares, topVolume, topMpid, issueName } = this;
    this.symbol = undefined;
    this.venues.clear();
    this.volume = 0n;
    this.trades = 0n;
    this.sumSquares = 0n;
    this.topVolume = -1n;
    this.topMpid = '';
    if (symbol === undefined || venueCount === 0 || !this.grouped) return undefined;
    const avgCents = trades === 0n ? 0 : roundedUnits(100n * volume, trades, 0);
    const liquidityCents = typeof avgCents === 'number' && avgCents * venueCount <= Number.MAX_SAFE_INTEGER
      ? avgCents * venueCount : BigInt(avgCents) * BigInt(venueCount);
    return {
      symbol, issueName, venueCount, totalVolume: volume, totalTrades: trades,
      avgTradeSize: fixedPoint(avgCents, 2),
      liquidityScore: fixedPoint(liquidityCents, 2),
      // One venue (most OTC symbols) holds the whole volume: HHI 1 and a 100% top share, without the division.
      hhi: volume === 0n ? null : venueCount === 1 ? '1.000000' : roundedQuotient(sumSquares, volume * volume, 6),
      topMpid,
      topVenueSharePct: volume === 0n ? null : venueCount === 1 ? '100.0000' : roundedQuotient(100n * topVolume, volume, 4),
    };
  }
}
