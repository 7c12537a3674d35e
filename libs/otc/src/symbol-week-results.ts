/**
 * The per-symbol results of a week (summary, concentration, liquidity score v1; DOMAIN.md), computed while the
 * week's lines stream past, when the file is grouped by symbol as FINRA writes it: each symbol's lines together,
 * symbols in ascending byte order. Memory holds one symbol's venues. A file that is not grouped is detected (a
 * symbol arriving out of order) and left to the set-based calculation in SQL, which gives the same results.
 *
 * Rounding is exact and half-up on the rational value (integer arithmetic), as the SQL calculation does.
 */

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

/** `num / den` rounded half-up to `places` decimals, as text; num >= 0, den > 0. */
export function roundedQuotient(num: bigint, den: bigint, places: number): string {
  const scale = 10n ** BigInt(places);
  const twice = 2n * num * scale + den;
  const scaled = twice + 2n * den <= MAX_SAFE ? BigInt(floorDiv(Number(twice), Number(2n * den))) : twice / (2n * den);
  if (places === 0) return scaled.toString();
  const digits = scaled.toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * floor(a / b) for safe integers with a + b safe too (the common case, without BigInt division): the floating-point
 * quotient can be off by one next to an integer, and the exact products correct it.
 */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/**
 * Feeds accepted lines in file order; says which are duplicate keys and hands out each symbol's row when it ends.
 * Counts arrive as the validated decimal text; sums use floating point while every value is a safe integer (the
 * common case) and BigInt otherwise, so the results are exact either way.
 */
export class SymbolWeekGroups {
  /** False once a symbol arrived out of order: the rows handed out so far are incomplete and must be discarded. */
  grouped = true;
  private symbol: string | undefined;
  private readonly firstLines = new Map<string, number>();
  private issueName = '';
  private shares: string[] = [];
  private trades: string[] = [];
  private mpids: string[] = [];
  private volume = 0;
  private tradeCount = 0;
  private safe = true;
  private topMpid = '';
  private topVolume = -1;
  private finished: SymbolWeekRow | undefined;

  /**
   * Returns the line number of the earlier line with the same (symbol, mpid) when this one duplicates it (the first
   * is kept), else 0. A symbol change finishes the previous symbol: its row is then in takeFinished().
   */
  add(lineNumber: number, symbol: string, mpid: string, issueName: string, shares: string, trades: string): number {
    if (symbol !== this.symbol) {
      if (this.symbol !== undefined && !(symbol > this.symbol)) this.grouped = false;
      this.finished = this.finish();
      this.symbol = symbol;
      this.issueName = issueName;
    } else {
      const first = this.firstLines.get(mpid);
      if (first !== undefined) return first;
    }
    this.firstLines.set(mpid, lineNumber);
    this.mpids.push(mpid);
    this.shares.push(shares);
    this.trades.push(trades);
    const v = Number(shares);
    const t = Number(trades);
    this.volume += v;
    this.tradeCount += t;
    if (!Number.isSafeInteger(v) || !Number.isSafeInteger(t)) this.safe = false;
    if (v > this.topVolume || (v === this.topVolume && mpid < this.topMpid)) {
      this.topVolume = v;
      this.topMpid = mpid;
    }
    return 0;
  }

  /** The row of the symbol the last add() finished, if any; handed out once. */
  takeFinished(): SymbolWeekRow | undefined {
    const row = this.finished;
    this.finished = undefined;
    return row;
  }

  /** Ends the current symbol: its row, or undefined when there is none or the file is not grouped. */
  finish(): SymbolWeekRow | undefined {
    const { symbol, issueName, shares, trades, mpids } = this;
    const safe = this.safe && Number.isSafeInteger(this.volume) && Number.isSafeInteger(this.tradeCount);
    const fast = { volume: this.volume, trades: this.tradeCount, topMpid: this.topMpid, topVolume: this.topVolume };
    this.symbol = undefined;
    this.firstLines.clear();
    this.shares = [];
    this.trades = [];
    this.mpids = [];
    this.volume = 0;
    this.tradeCount = 0;
    this.safe = true;
    this.topVolume = -1;
    this.topMpid = '';
    if (symbol === undefined || mpids.length === 0 || !this.grouped) return undefined;
    const venueCount = mpids.length;
    let volume: bigint;
    let tradeCount: bigint;
    let topMpid = fast.topMpid;
    let topVolume: bigint;
    if (safe) {
      volume = BigInt(fast.volume);
      tradeCount = BigInt(fast.trades);
      topVolume = BigInt(fast.topVolume);
    } else {
      volume = 0n;
      tradeCount = 0n;
      topVolume = -1n;
      for (let i = 0; i < venueCount; i++) {
        const v = BigInt(shares[i]!);
        volume += v;
        tradeCount += BigInt(trades[i]!);
        if (v > topVolume || (v === topVolume && mpids[i]! < topMpid)) {
          topVolume = v;
          topMpid = mpids[i]!;
        }
      }
    }
    const avgCents = tradeCount === 0n ? 0n : BigInt(roundedQuotient(volume * 100n, tradeCount, 0));
    const cents = (c: bigint) => roundedQuotient(c, 100n, 2);
    let hhi: string | null = null;
    let topVenueSharePct: string | null = null;
    // One venue (most OTC symbols) holds the whole volume: HHI 1 and a 100% top share, without the division.
    if (volume > 0n && venueCount === 1) {
      hhi = '1.000000';
      topVenueSharePct = '100.0000';
    } else if (volume > 0n) {
      let sumSquares = 0n;
      for (const text of shares) sumSquares += BigInt(text) ** 2n;
      hhi = roundedQuotient(sumSquares, volume * volume, 6);
      topVenueSharePct = roundedQuotient(100n * topVolume, volume, 4);
    }
    return {
      symbol, issueName, venueCount, totalVolume: volume, totalTrades: tradeCount,
      avgTradeSize: cents(avgCents), liquidityScore: cents(avgCents * BigInt(venueCount)), hhi, topMpid, topVenueSharePct,
    };
  }
}
