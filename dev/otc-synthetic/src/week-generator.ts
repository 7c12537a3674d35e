/**
 * Deterministic synthetic FINRA OTC weekly files (download format, pipe-delimited) for load tests and demos.
 *
 * generateWeekLines() yields the header and then exactly `rows` data lines, each ending in '\n', sorted by symbol like
 * FINRA's files. The output depends only on (tier, weekEnding, rows, seed, symbolSeed, rejectRate): same inputs, same bytes.
 * Memory: lines are produced one symbol at a time; the only per-week state is one 4-byte sort key per symbol of the
 * week (a first pass picks the week's symbols, about rows / 2 for OTC and rows / 5 for NMS Tier 1), never the lines.
 *
 * Realism: each symbol trades on 1-8 venues (few for OTC, many for NMS Tier 1) with log-normal volumes that drift
 * from week to week around the symbol's own size (a weekly shock, a slow half-year cycle and a tier-wide market
 * factor), trade counts follow a per-symbol average trade size, NMS Tier 1 has index-fund ETFs whose venues report
 * more than 2^31 shares, and lastUpdateDate is the publication Monday (week ending + 17 days for NMS Tier 1,
 * + 31 days for NMS Tier 2 and OTC). The same symbols appear every week (most of them), so 6-week windows fill.
 *
 * rejectRate (0..1) replaces that share of the lines, at random, with one of the reject kinds the ingest stage
 * knows (see InjectedRejectKind); every injected line fails exactly one check, so its reason code is unambiguous.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished } from 'node:stream/promises';
import { addDays } from '@spine/platform/time/week-ending';
import { FINRA_HEADER } from '@spine/otc/file-format';
import type { VenueType } from '@spine/otc/venue-types';
import { nonAtsLines } from './non-ats-lines.ts';
import { type Tier, TIERS, parseTier, tierDescription } from '@spine/otc/tiers';
import { type Rng, normal, rngFor } from './prng.ts';
import { MAX_VENUES_PER_SYMBOL, type SymbolProfile, symbolAt, symbolAtSortKey, universeCapacity } from './universe.ts';

/**
 * Upper bound on `rows`. A universe holds about 450,000 symbols: enough for 2,000,000 lines in the NMS shape (about
 * 5.6 venues a symbol), about 600,000 in the OTC shape (one to three); beyond that generation fails with a message.
 */
export const MAX_ROWS = 2_000_000;

export const INJECTED_REJECT_KINDS = [
  'PARSE_ERROR',
  'INVALID_TIER',
  'WEEK_MISMATCH',
  'INVALID_SYMBOL',
  'INVALID_MPID',
  'NEGATIVE_VOLUME',
  'NEGATIVE_TRADES',
  'DUPLICATE_KEY',
] as const;
export type InjectedRejectKind = (typeof INJECTED_REJECT_KINDS)[number];

export interface WeekGeneratorOptions {
  /** Canonical code or any alias parseTier() accepts (`NMS Tier 1`, `T1`, `otc`, ...). */
  tier: Tier | string;
  /** The week's Friday, YYYY-MM-DD. */
  weekEnding: string;
  /** Data lines to produce (the header is extra). */
  rows: number;
  /** Any safe integer; reduced to 32 bits. */
  seed: number;
  /**
   * The seed of the symbol universe (its tickers and their order), default `seed`: two files with one symbolSeed and
   * different seeds trade the same symbols with different figures, as a week's ATS and non-ATS files do.
   */
  symbolSeed?: number;
  /** Share of lines to turn into rejects, 0..1 (default 0). */
  rejectRate?: number;
  /** NON_ATS writes the non-ATS shape (nonAtsLines): firm CRD numbers, firms without an MPID. Default ATS. */
  venueType?: VenueType;
  /**
   * The tier whose symbol universe the lines are drawn from (its tickers, venues per symbol and sizes): the shape of
   * the week. Defaults to the file's own tier; e.g. an NMS Tier 1 file in the OTC shape has OTC's few venues a symbol.
   */
  universe?: Tier;
}

export interface NormalizedWeekOptions {
  tier: Tier;
  weekEnding: string;
  rows: number;
  seed: number;
  symbolSeed: number;
  rejectRate: number;
  universe: Tier;
  /** lastUpdateDate of valid lines: the publication Monday. */
  lastUpdateDate: string;
}

/** What a generation produced; filled in while the lines are consumed. */
export interface SyntheticWeekStats {
  rows: number;
  /** Lines that should be accepted (rows minus injected rejects). */
  accepted: number;
  rejects: Record<InjectedRejectKind, number>;
  /** Distinct symbols on accepted lines. */
  symbols: number;
  /** Largest share count on an accepted line. */
  maxShares: number;
}

export class SyntheticOptionsError extends RangeError {
  override name = 'SyntheticOptionsError';
}

export function createStats(): SyntheticWeekStats {
  const rejects = Object.fromEntries(INJECTED_REJECT_KINDS.map((k) => [k, 0])) as Record<InjectedRejectKind, number>;
  return { rows: 0, accepted: 0, rejects, symbols: 0, maxShares: 0 };
}

/** FINRA's publication Monday for a week: Friday + 17 days (NMS Tier 1) or + 31 days (NMS Tier 2, OTC). */
export function publicationDate(tier: Tier, weekEnding: string): string {
  return addDays(weekEnding, tier === 'NMS_TIER_1' ? 17 : 31);
}

/** Validates options; throws SyntheticOptionsError with a one-line message. */
export function normalizeWeekOptions(options: WeekGeneratorOptions): NormalizedWeekOptions {
  const tier = typeof options.tier === 'string' ? parseTier(options.tier) : undefined;
  if (!tier) throw new SyntheticOptionsError(`unknown tier ${JSON.stringify(options.tier)} (expected one of ${TIERS.join(', ')})`);
  const week = options.weekEnding;
  const time = typeof week === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(week) ? Date.parse(`${week}T00:00:00Z`) : NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== week) {
    throw new SyntheticOptionsError(`week ending must be a date YYYY-MM-DD, got ${JSON.stringify(week)}`);
  }
  if (new Date(time).getUTCDay() !== 5) throw new SyntheticOptionsError(`week ending must be a Friday, got ${week}`);
  const { rows, seed } = options;
  if (!Number.isSafeInteger(rows) || rows < 0 || rows > MAX_ROWS) {
    throw new SyntheticOptionsError(`rows must be an integer from 0 to ${MAX_ROWS}, got ${String(rows)}`);
  }
  if (!Number.isSafeInteger(seed)) throw new SyntheticOptionsError(`seed must be an integer, got ${String(seed)}`);
  const symbolSeed = options.symbolSeed ?? seed;
  if (!Number.isSafeInteger(symbolSeed)) throw new SyntheticOptionsError(`symbol seed must be an integer, got ${String(symbolSeed)}`);
  const rejectRate = options.rejectRate ?? 0;
  if (typeof rejectRate !== 'number' || !(rejectRate >= 0 && rejectRate <= 1)) {
    throw new SyntheticOptionsError(`reject rate must be a number from 0 to 1, got ${String(rejectRate)}`);
  }
  const universe = options.universe ?? tier;
  if (!TIERS.includes(universe)) throw new SyntheticOptionsError(`unknown universe ${JSON.stringify(universe)} (expected one of ${TIERS.join(', ')})`);
  return { tier, weekEnding: week, rows, seed: seed >>> 0, symbolSeed: symbolSeed >>> 0, rejectRate, universe, lastUpdateDate: publicationDate(tier, week) };
}

interface VenueRow {
  symbol: string;
  issueName: string;
  mpid: string;
  mpName: string;
  shares: number;
  trades: number;
}

const DAY_MS = 86_400_000;

/** Weeks since the Friday 1970-01-02: the time axis of the volume drift. */
function weekNumber(weekEnding: string): number {
  return Math.round((Date.parse(`${weekEnding}T00:00:00Z`) - Date.parse('1970-01-02T00:00:00Z')) / (7 * DAY_MS));
}

/** Whether the symbol trades in the week and on how many venues (0 when it does not trade). */
function startWeek(sym: SymbolProfile, o: NormalizedWeekOptions, week: number): { rng: Rng; venueCount: number } {
  const rng = rngFor(o.seed, o.tier, 'week', sym.index, week);
  if (rng() >= sym.presence) return { rng, venueCount: 0 };
  const drift = rng();
  const venueCount = Math.max(
    1,
    Math.min(sym.venues.length, MAX_VENUES_PER_SYMBOL, sym.baseVenueCount + (drift < 0.08 ? -1 : drift > 0.92 ? 1 : 0)),
  );
  return { rng, venueCount };
}

/** The symbol's venue lines for one week, largest venue first; empty when it does not trade that week. */
function symbolWeek(sym: SymbolProfile, o: NormalizedWeekOptions, week: number, market: number): VenueRow[] {
  const { rng, venueCount } = startWeek(sym, o, week);
  if (venueCount === 0) return [];
  const logVolume =
    Math.log(sym.medianVolume) + market + 0.25 * normal(rng) + 0.2 * Math.sin((2 * Math.PI * week) / 26 + sym.phase);
  const volume = Math.exp(logVolume);
  const weights: number[] = [];
  let total = 0;
  for (let j = 0; j < venueCount; j++) {
    const w = 0.62 ** j * Math.exp(0.3 * normal(rng));
    weights.push(w);
    total += w;
  }
  const rows: VenueRow[] = [];
  for (let j = 0; j < venueCount; j++) {
    const venue = sym.venues[j];
    if (!venue) break;
    const shares = Math.max(1, Math.round((volume * (weights[j] ?? 0)) / total));
    const tradeSize = sym.avgTradeSize * Math.exp(0.15 * normal(rng));
    const trades = Math.min(shares, Math.max(1, Math.round(shares / tradeSize)));
    rows.push({ symbol: sym.symbol, issueName: sym.issueName, mpid: venue.mpid, mpName: venue.name, shares, trades });
  }
  return rows;
}

/**
 * The symbols of one week: the first symbols of the universe (in index order) that trade that week, as many as
 * `rows` lines need, returned as ticker sort keys in ascending order. Only the keys are kept (4 bytes a symbol).
 */
function weekSymbols(o: NormalizedWeekOptions, week: number): { keys: Int32Array; lastKey: number; lastRows: number } {
  const capacity = universeCapacity(o.universe);
  let keys = new Int32Array(1024);
  let count = 0;
  let total = 0;
  let lastKey = -1;
  let lastRows = 0;
  for (let index = 0; total < o.rows; index++) {
    if (index >= capacity) throw new Error(`synthetic ${o.universe} universe exhausted after ${total} of ${o.rows} rows`);
    const sym = symbolAt(o.universe, o.symbolSeed, index);
    const { venueCount } = startWeek(sym, o, week);
    if (venueCount === 0) continue;
    if (count === keys.length) {
      const grown = new Int32Array(keys.length * 2);
      grown.set(keys);
      keys = grown;
    }
    keys[count++] = sym.sortKey;
    lastKey = sym.sortKey;
    lastRows = Math.min(venueCount, o.rows - total);
    total += venueCount;
  }
  return { keys: keys.subarray(0, count).sort(), lastKey, lastRows };
}

/** A share count as a spreadsheet would print it: "1,234,567"; below 1000, "12.0". Never a valid integer. */
function withThousandsSeparators(digits: string): string {
  if (digits.length <= 3) return `${digits}.0`;
  const first = digits.length % 3 || 3;
  const groups = [digits.slice(0, first)];
  for (let i = first; i < digits.length; i += 3) groups.push(digits.slice(i, i + 3));
  return groups.join(',');
}

const OTHER_TIER: Readonly<Record<Tier, Tier>> = { NMS_TIER_1: 'NMS_TIER_2', NMS_TIER_2: 'NMS_TIER_1', OTC: 'NMS_TIER_2' };

/**
 * The header line and then `rows` data lines of a synthetic FINRA weekly file, each ending in '\n'.
 * Pass `stats` (createStats()) to learn what was generated, e.g. how many rejects of each kind were injected.
 */
export function* generateWeekLines(options: WeekGeneratorOptions, stats?: SyntheticWeekStats): Generator<string> {
  const o = normalizeWeekOptions(options);
  const s = stats ?? createStats();
  const description = tierDescription(o.tier);
  const week = weekNumber(o.weekEnding);
  const market = 0.12 * normal(rngFor(o.seed, o.tier, 'market', week));
  const line = (tier: string, r: VenueRow, shares: string, trades: string, date: string) =>
    `${tier}|${r.symbol}|${r.issueName}|${r.mpName}|${r.mpid}|${shares}|${trades}|${date}\n`;

  yield `${FINRA_HEADER}\n`;
  let emitted = 0;
  let lastAccepted: VenueRow | undefined;
  let lastSymbol = '';
  const { keys, lastKey, lastRows } = weekSymbols(o, week);
  for (const key of keys) {
    const venueRows = symbolWeek(symbolAtSortKey(o.universe, o.symbolSeed, key), o, week, market);
    const selected = key === lastKey ? venueRows.slice(0, lastRows) : venueRows;
    selected.sort((a, b) => (a.mpName < b.mpName ? -1 : a.mpName > b.mpName ? 1 : 0)); // FINRA's order within a symbol
    for (const r of selected) {
      emitted++;
      let kind: InjectedRejectKind | undefined;
      let variant = 0;
      if (o.rejectRate > 0) {
        const rr = rngFor(o.seed, o.tier, 'reject', week, emitted);
        if (rr() < o.rejectRate) {
          kind = INJECTED_REJECT_KINDS[Math.floor(rr() * INJECTED_REJECT_KINDS.length)];
          variant = rr();
          if (kind === 'DUPLICATE_KEY' && !lastAccepted) kind = undefined;
        }
      }
      const shares = String(r.shares);
      const trades = String(r.trades);
      const date = o.lastUpdateDate;
      if (kind) s.rejects[kind]++;
      switch (kind) {
        case 'PARSE_ERROR':
          yield variant < 0.5
            ? `${description}|${r.symbol}|${r.issueName}|${r.mpName}|${r.mpid}|${shares}|${date}\n` // 7 fields
            : line(description, r, withThousandsSeparators(shares), trades, date); // "1,234,567" or "12.0"
          continue;
        case 'INVALID_TIER':
          yield line(tierDescription(OTHER_TIER[o.tier]), r, shares, trades, date);
          continue;
        case 'WEEK_MISMATCH':
          yield line(description, r, shares, trades, addDays(o.weekEnding, -4)); // the week's Monday
          continue;
        case 'INVALID_SYMBOL':
          yield line(description, { ...r, symbol: `#${r.symbol}` }, shares, trades, date);
          continue;
        case 'INVALID_MPID':
          yield line(description, { ...r, mpid: variant < 0.5 ? r.mpid.slice(0, 2) : `${r.mpid.slice(0, 2).toLowerCase()}!1` }, shares, trades, date);
          continue;
        case 'NEGATIVE_VOLUME':
          yield line(description, r, `-${shares}`, trades, date);
          continue;
        case 'NEGATIVE_TRADES':
          yield line(description, r, shares, `-${trades}`, date);
          continue;
        case 'DUPLICATE_KEY': {
          const first = lastAccepted as VenueRow; // checked above
          yield line(description, { ...first, shares: r.shares, trades: r.trades }, shares, trades, date);
          continue;
        }
        default:
          s.accepted++;
          if (r.symbol !== lastSymbol) s.symbols++;
          lastSymbol = r.symbol;
          if (r.shares > s.maxShares) s.maxShares = r.shares;
          lastAccepted = r;
          yield line(description, r, shares, trades, date);
      }
    }
  }
  s.rows = emitted;
  if (emitted !== o.rows) throw new Error(`synthetic generator produced ${emitted} of ${o.rows} rows`); // cannot happen
}

export interface WriteWeekResult {
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
  stats: SyntheticWeekStats;
}

/**
 * Writes generateWeekLines(options) to `path` (parent directories are created) through a write stream, waiting
 * for 'drain' whenever the stream's buffer is full. A failed write removes the partial file.
 */
export async function writeWeekFile(path: string, options: WeekGeneratorOptions): Promise<WriteWeekResult> {
  normalizeWeekOptions(options); // bad options fail before any file is touched
  await mkdir(dirname(path), { recursive: true });
  const stats = createStats();
  const hash = createHash('sha256');
  const stream = createWriteStream(path);
  let streamError: Error | undefined;
  stream.on('error', (error) => {
    streamError = error;
  });
  let bytes = 0;
  const write = async (text: string) => {
    if (streamError) throw streamError;
    const chunk = Buffer.from(text, 'utf8');
    hash.update(chunk);
    bytes += chunk.length;
    if (!stream.write(chunk)) await once(stream, 'drain');
  };
  try {
    let pending = '';
    const generated = generateWeekLines(options, stats);
    const lines = options.venueType === 'NON_ATS' ? nonAtsLines(generated, normalizeWeekOptions(options).tier) : generated;
    for (const text of lines) {
      pending += text;
      if (pending.length >= 64 * 1024) {
        await write(pending);
        pending = '';
      }
    }
    if (pending) await write(pending);
    stream.end();
    await finished(stream);
  } catch (error) {
    stream.destroy();
    await rm(path, { force: true });
    throw streamError ?? error;
  }
  return { path, rows: stats.rows, bytes, sha256: hash.digest('hex'), stats };
}
