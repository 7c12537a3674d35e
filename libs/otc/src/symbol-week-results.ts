/**
 * The per-symbol results of a week (summary, concentration, liquidity score v1; DOMAIN.md), computed while the
 * week's lines stream past, when the file is grouped by symbol as FINRA writes it: each symbol's lines together,
 * symbols in ascending byte order (SymbolWeekGroups: memory holds one symbol's tally and the week's MPIDs, at most
 * 4,096 of them between symbols). A file that is not grouped is detected (a symbol arriving out of order); its lines
 * are then grouped in the worker (SymbolLineRuns) and each symbol's venues tallied the same way (SymbolTally).
 *
 * Rounding is exact and half-up on the rational value (integer arithmetic), as the SQL calculation does.
 */
import type { Count } from './counts.ts';

export interface AcceptedLine {
  lineNumber: number;
  symbol: string;
  mpid: string;
  issueName: string;
  shares: Count;
  trades: Count;
}

export interface SymbolWeekRow {
  symbol: string;
  /** The issue name on the symbol's first accepted line. */
  issueName: string;
  venueCount: number;
  totalVolume: Count;
  totalTrades: Count;
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
const FAST_NUM = SCALES.map((scale) => Number(BigInt(Number.MAX_SAFE_INTEGER) / (4n * scale)));
const FAST_DEN = Math.floor(Number.MAX_SAFE_INTEGER / 6);
/** The largest integer whose square is a safe integer. */
const MAX_SAFE_ROOT = Math.floor(Math.sqrt(Number.MAX_SAFE_INTEGER));

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
function roundedUnits(num: Count, den: Count, places: number): Count {
  // A bigint compares with a number by value: small operands of either type take the floating-point path.
  if (num <= FAST_NUM[places]! && den <= FAST_DEN) {
    const d = Number(den);
    return floorDiv(2 * Number(num) * 10 ** places + d, 2 * d);
  }
  const wideDen = BigInt(den);
  return (2n * BigInt(num) * SCALES[places]! + wideDen) / (2n * wideDen);
}

/** `num / den` rounded half-up to `places` (at most 6) decimals, as text; num >= 0, den > 0. */
export function roundedQuotient(num: Count, den: Count, places: number): string {
  return fixedPoint(roundedUnits(num, den, places), places);
}

/** `a * b` exactly: a number while the product is a safe integer. */
function times(a: Count, b: number): Count {
  return typeof a === 'number' && a <= Math.floor(Number.MAX_SAFE_INTEGER / b) ? a * b : BigInt(a) * BigInt(b);
}

/** `a * a` exactly. */
function squared(a: Count): Count {
  return typeof a === 'number' && a <= MAX_SAFE_ROOT ? a * a : BigInt(a) * BigInt(a);
}

/** Past this many distinct MPIDs, SymbolWeekGroups starts its table afresh at the next symbol. */
const MAX_VENUES_KEPT = 4096;
/** What add() says of a line that neither repeats a key nor ends a symbol: one object for all of them. */
const NOTHING_FINISHED: GroupVerdict = Object.freeze({ finished: undefined });

export type GroupVerdict = { duplicateOf: number } | { finished: SymbolWeekRow | undefined };

/** A tally's sums once one of them left the safe integers. */
interface WideSums {
  volume: bigint;
  trades: bigint;
  sumSquares: bigint;
  topVolume: bigint;
}

/**
 * One symbol's venues as they are added (each MPID once: duplicates are the caller's to find; counts are not
 * negative, as the validator makes them), and its row. Sums are numbers while every one stays a safe integer, which
 * keeps them exact, and bigints from the venue that would take one past. Reused from symbol to symbol: row() hands out
 * the row and starts over.
 */
export class SymbolTally {
  private venueCount = 0;
  private volume = 0;
  private trades = 0;
  private sumSquares = 0;
  private topVolume = -1;
  private topMpid = '';
  private wide: WideSums | undefined;

  add(mpid: string, shares: Count, trades: Count): void {
    this.venueCount += 1;
    if (this.wide === undefined && typeof shares === 'number' && typeof trades === 'number') {
      const volume = this.volume + shares;
      const tradeSum = this.trades + trades;
      const sumSquares = this.sumSquares + shares * shares;
      // A result past 2^53 - 1 may have been rounded, but then it is past the bound too: the check is exact.
      if (volume <= Number.MAX_SAFE_INTEGER && tradeSum <= Number.MAX_SAFE_INTEGER && sumSquares <= Number.MAX_SAFE_INTEGER) {
        this.volume = volume;
        this.trades = tradeSum;
        this.sumSquares = sumSquares;
        if (shares > this.topVolume || (shares === this.topVolume && mpid < this.topMpid)) {
          this.topVolume = shares;
          this.topMpid = mpid;
        }
        return;
      }
    }
    const wide = (this.wide ??= { volume: BigInt(this.volume), trades: BigInt(this.trades), sumSquares: BigInt(this.sumSquares), topVolume: BigInt(this.topVolume) });
    const wideShares = BigInt(shares);
    wide.volume += wideShares;
    wide.trades += BigInt(trades);
    wide.sumSquares += wideShares * wideShares;
    if (wideShares > wide.topVolume || (wideShares === wide.topVolume && mpid < this.topMpid)) {
      wide.topVolume = wideShares;
      this.topMpid = mpid;
    }
  }

  /** The row of the venues added since the last row; undefined when none were. */
  row(symbol: string, issueName: string): SymbolWeekRow | undefined {
    const { venueCount, topMpid, wide } = this;
    const volume: Count = wide ? wide.volume : this.volume;
    const trades: Count = wide ? wide.trades : this.trades;
    const sumSquares: Count = wide ? wide.sumSquares : this.sumSquares;
    const topVolume: Count = wide ? wide.topVolume : this.topVolume;
    this.venueCount = 0;
    this.volume = 0;
    this.trades = 0;
    this.sumSquares = 0;
    this.topVolume = -1;
    this.topMpid = '';
    this.wide = undefined;
    if (venueCount === 0) return undefined;
    const noVolume = volume === 0 || volume === 0n;
    const avgCents = trades === 0 || trades === 0n ? 0 : roundedUnits(times(volume, 100), trades, 0);
    const liquidityCents = typeof avgCents === 'number' && avgCents * venueCount <= Number.MAX_SAFE_INTEGER
      ? avgCents * venueCount : BigInt(avgCents) * BigInt(venueCount);
    return {
      symbol, issueName, venueCount, totalVolume: volume, totalTrades: trades,
      avgTradeSize: fixedPoint(avgCents, 2),
      liquidityScore: fixedPoint(liquidityCents, 2),
      // One venue (most OTC symbols) holds the whole volume: HHI 1 and a 100% top share, without the division.
      hhi: noVolume ? null : venueCount === 1 ? '1.000000' : roundedQuotient(sumSquares, squared(volume), 6),
      topMpid,
      topVenueSharePct: noVolume ? null : venueCount === 1 ? '100.0000' : roundedQuotient(times(topVolume, 100), volume, 4),
    };
  }
}

/** Feeds accepted lines in file order; says which are duplicate keys and hands out each symbol's row when it ends. */
export class SymbolWeekGroups {
  /** False once a symbol arrived out of order: the rows handed out so far are incomplete and must be discarded. */
  grouped = true;
  private symbol: string | undefined;
  /**
   * Each MPID's first line in the symbol numbered `group`. One table for the whole week, stamped rather than
   * cleared: V8 allocates a Map's new table in the old generation once the Map is old, so a table cleared per
   * symbol filled the old generation with dead tables (peak RSS 162 MB at 2,000,000 lines against 105 at 200,000).
   */
  private venues = new Map<string, { group: number; lineNumber: number }>();
  private group = 0;
  private issueName = '';
  private readonly tally = new SymbolTally();

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
    }
    const venue = this.venues.get(line.mpid);
    if (venue === undefined) {
      this.venues.set(line.mpid, { group: this.group, lineNumber: line.lineNumber });
    } else if (venue.group === this.group) {
      return { duplicateOf: venue.lineNumber };
    } else {
      venue.group = this.group;
      venue.lineNumber = line.lineNumber;
    }
    this.tally.add(line.mpid, line.shares, line.trades);
    return finished ? { finished } : NOTHING_FINISHED;
  }

  /** Ends the current symbol: its row, or undefined when there is none or the file is not grouped. */
  finish(): SymbolWeekRow | undefined {
    const symbol = this.symbol;
    this.symbol = undefined;
    this.group += 1;
    // MPIDs are few (hundreds a tier); a file of made-up ones must not grow the table without bound.
    if (this.venues.size > MAX_VENUES_KEPT) this.venues = new Map();
    const row = this.tally.row(symbol ?? '', this.issueName);
    return symbol === undefined || !this.grouped ? undefined : row;
  }
}
