import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FINRA_HEADER } from '@spine/otc/file-format';
import { TIERS, type Tier, parseTier } from '@spine/otc/tiers';
import { hash32, mulberry32 } from '../src/prng.ts';
import { MAX_VENUES_PER_SYMBOL, indexAtPosition, symbolAt, tickerPosition, universeCapacity } from '../src/universe.ts';
import {
  INJECTED_REJECT_KINDS,
  type InjectedRejectKind,
  MAX_ROWS,
  SyntheticOptionsError,
  type WeekGeneratorOptions,
  createStats,
  generateWeekLines,
  publicationDate,
  writeWeekFile,
} from '../src/week-generator.ts';

const WEEK = '2025-12-05';
const tmp = mkdtempSync(join(tmpdir(), 'spine-synthetic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function text(options: WeekGeneratorOptions): string {
  return [...generateWeekLines(options)].join('');
}
function sha256(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}
function dataLines(options: WeekGeneratorOptions): string[] {
  return [...generateWeekLines(options)].slice(1).map((l) => l.slice(0, -1));
}
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The ingest rules of the golden README (first failing check wins; duplicates among otherwise valid lines). */
function classify(lines: string[], tier: Tier, week: string): Array<InjectedRejectKind | 'OK'> {
  const seen = new Set<string>();
  return lines.map((line) => {
    const f = line.split('|');
    if (f.length !== 8) return 'PARSE_ERROR';
    const [t, sym, , , mp, sh, tr, lud] = f as [string, string, string, string, string, string, string, string];
    if (!/^-?\d+$/.test(sh) || !/^-?\d+$/.test(tr)) return 'PARSE_ERROR';
    if (lud !== '' && !/^\d{4}-\d{2}-\d{2}$/.test(lud)) return 'PARSE_ERROR';
    if (parseTier(t) !== tier) return 'INVALID_TIER';
    if (lud !== '' && lud < week) return 'WEEK_MISMATCH';
    const symbol = sym.trim().toUpperCase();
    const mpid = mp.trim().toUpperCase();
    if (!/^[A-Z0-9][A-Z0-9./-]{0,15}$/.test(symbol)) return 'INVALID_SYMBOL';
    if (!/^[A-Z0-9]{4}$/.test(mpid)) return 'INVALID_MPID';
    if (BigInt(sh) < 0n) return 'NEGATIVE_VOLUME';
    if (BigInt(tr) < 0n) return 'NEGATIVE_TRADES';
    const key = `${symbol}|${mpid}`;
    if (seen.has(key)) return 'DUPLICATE_KEY';
    seen.add(key);
    return 'OK';
  });
}

describe('prng', () => {
  it('mulberry32 is deterministic and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(new Set(xs).size).toBe(1000);
  });

  it('hash32 separates its parts', () => {
    expect(hash32('ab', 'c')).not.toBe(hash32('a', 'bc'));
    expect(hash32(1, 'x')).toBe(hash32(1, 'x'));
  });
});

describe('universe', () => {
  it.each(TIERS)('%s: tickers are a permutation of the ticker space', (tier) => {
    for (const index of [0, 1, 2, 1000, universeCapacity(tier) - 1]) {
      expect(indexAtPosition(tier, 7, tickerPosition(tier, 7, index))).toBe(index);
    }
    const symbols = Array.from({ length: 5000 }, (_, i) => symbolAt(tier, 7, i).symbol);
    expect(new Set(symbols).size).toBe(5000);
    // Spread over the alphabet even for a small universe.
    expect(new Set(symbols.slice(0, 100).map((s) => s[0])).size).toBe(26);
  });

  it('a symbol is a pure function of (tier, seed, index)', () => {
    expect(symbolAt('OTC', 3, 123)).toEqual(symbolAt('OTC', 3, 123));
    expect(symbolAt('OTC', 3, 123).symbol).not.toBe(symbolAt('OTC', 4, 123).symbol);
  });
});

describe('generateWeekLines', () => {
  it.each(TIERS)('%s: header, exact row count, one line per yield, 8 fields', (tier) => {
    const lines = [...generateWeekLines({ tier, weekEnding: WEEK, rows: 1234, seed: 1 })];
    expect(lines[0]).toBe(`${FINRA_HEADER}\n`);
    expect(lines).toHaveLength(1235);
    for (const line of lines) {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.indexOf('\n')).toBe(line.length - 1);
      expect(line.split('|')).toHaveLength(8);
    }
  });

  it('zero rows gives the header only', () => {
    expect(text({ tier: 'OTC', weekEnding: WEEK, rows: 0, seed: 1 })).toBe(`${FINRA_HEADER}\n`);
  });

  it('is deterministic: same inputs, same sha256', () => {
    for (const tier of TIERS) {
      const options = { tier, weekEnding: WEEK, rows: 3000, seed: 99, rejectRate: 0.05 };
      expect(sha256(text(options))).toBe(sha256(text(options)));
    }
  });

  it('tier aliases give the same file as the canonical code', () => {
    expect(sha256(text({ tier: 'T1', weekEnding: WEEK, rows: 200, seed: 5 }))).toBe(
      sha256(text({ tier: 'NMS_TIER_1', weekEnding: WEEK, rows: 200, seed: 5 })),
    );
  });

  it('different seeds and different weeks give different files', () => {
    const base = { tier: 'NMS_TIER_2', weekEnding: WEEK, rows: 2000, seed: 1 } as const;
    const h = sha256(text(base));
    expect(sha256(text({ ...base, seed: 2 }))).not.toBe(h);
    expect(sha256(text({ ...base, weekEnding: '2025-11-28' }))).not.toBe(h);
  });

  it.each(TIERS)('%s: valid, unique (symbol, MPID) lines when rejectRate is 0', (tier) => {
    const lines = dataLines({ tier, weekEnding: WEEK, rows: 5000, seed: 11 });
    expect(classify(lines, tier, WEEK).every((c) => c === 'OK')).toBe(true);
    const keys = lines.map((l) => {
      const f = l.split('|');
      return `${f[1]}|${f[4]}`;
    });
    expect(new Set(keys).size).toBe(keys.length);
    const lastUpdate = publicationDate(tier, WEEK);
    expect(lastUpdate).toBe(addDays(WEEK, tier === 'NMS_TIER_1' ? 17 : 31));
    expect(new Date(`${lastUpdate}T00:00:00Z`).getUTCDay()).toBe(1); // a Monday
    for (const line of lines) {
      const [t, , , , , shares, trades, date] = line.split('|');
      expect(parseTier(t as string)).toBe(tier);
      expect(date).toBe(lastUpdate);
      expect(Number(trades)).toBeGreaterThanOrEqual(1);
      expect(Number(trades)).toBeLessThanOrEqual(Number(shares));
    }
  });

  it.each(TIERS)('%s: lines are sorted by symbol, each symbol on 1 to 8 venues', (tier) => {
    const lines = dataLines({ tier, weekEnding: WEEK, rows: 4000, seed: 3 });
    const symbols = lines.map((l) => l.split('|')[1] as string);
    for (let i = 1; i < symbols.length; i++) expect(symbols[i - 1]! <= symbols[i]!).toBe(true);
    const venues = new Map<string, number>();
    for (const s of symbols) venues.set(s, (venues.get(s) ?? 0) + 1);
    const counts = [...venues.values()];
    expect(Math.max(...counts)).toBeLessThanOrEqual(MAX_VENUES_PER_SYMBOL);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    if (tier === 'OTC') expect(counts.filter((c) => c === 1).length).toBeGreaterThan(counts.length / 3);
    else expect(counts.some((c) => c >= 6)).toBe(true);
  });

  it('NMS Tier 1 has share counts above 2^31 every week; names carry commas, $ and parentheses', () => {
    for (let w = 0; w < 6; w++) {
      const lines = dataLines({ tier: 'NMS_TIER_1', weekEnding: addDays(WEEK, -7 * w), rows: 500, seed: 1 });
      expect(lines.some((l) => Number(l.split('|')[5]) > 2 ** 31)).toBe(true);
    }
    const names = dataLines({ tier: 'OTC', weekEnding: WEEK, rows: 3000, seed: 1 }).map((l) => l.split('|')[2] as string);
    expect(names.some((n) => n.includes(','))).toBe(true);
    expect(names.some((n) => n.includes('$'))).toBe(true);
    expect(names.some((n) => n.includes('('))).toBe(true);
    const nms = dataLines({ tier: 'NMS_TIER_1', weekEnding: WEEK, rows: 20000, seed: 1 }).map((l) => l.split('|')[1] as string);
    expect(nms.some((s) => s.includes('.'))).toBe(true);
  });

  it('the same universe fills consecutive weeks, and sizes drift', () => {
    const weeks = [0, 1, 2, 3, 4, 5].map((w) => dataLines({ tier: 'NMS_TIER_2', weekEnding: addDays(WEEK, -7 * w), rows: 3000, seed: 8 }));
    const symbolSets = weeks.map((lines) => new Set(lines.map((l) => l.split('|')[1] as string)));
    const inAll = [...symbolSets[0]!].filter((s) => symbolSets.every((set) => set.has(s)));
    expect(inAll.length / symbolSets[0]!.size).toBeGreaterThan(0.75);
    const volume = (lines: string[], symbol: string) =>
      lines.filter((l) => l.split('|')[1] === symbol).reduce((a, l) => a + Number(l.split('|')[5]), 0);
    const sample = inAll.slice(0, 20);
    expect(sample.filter((s) => volume(weeks[0]!, s) !== volume(weeks[1]!, s)).length).toBeGreaterThan(15);
  });

  it('rejectRate injects every reject kind, each classified as intended', () => {
    for (const tier of TIERS) {
      const stats = createStats();
      const lines = [...generateWeekLines({ tier, weekEnding: WEEK, rows: 8000, seed: 21, rejectRate: 0.1 }, stats)]
        .slice(1)
        .map((l) => l.slice(0, -1));
      const verdicts = classify(lines, tier, WEEK);
      const counted = Object.fromEntries(INJECTED_REJECT_KINDS.map((k) => [k, verdicts.filter((v) => v === k).length]));
      expect(counted).toEqual(stats.rejects);
      for (const kind of INJECTED_REJECT_KINDS) expect(stats.rejects[kind]).toBeGreaterThan(40);
      const rejects = Object.values(stats.rejects).reduce((a, b) => a + b, 0);
      expect(rejects).toBeGreaterThan(600);
      expect(rejects).toBeLessThan(1000);
      expect(stats.rows).toBe(8000);
      expect(stats.accepted).toBe(verdicts.filter((v) => v === 'OK').length);
      expect(stats.accepted + rejects).toBe(8000);
    }
  });

  it('rejects bad options with a clear SyntheticOptionsError', () => {
    const ok = { tier: 'OTC', weekEnding: WEEK, rows: 10, seed: 1 };
    const first = (o: WeekGeneratorOptions) => () => generateWeekLines(o).next();
    expect(first({ ...ok, tier: 'NYSE' })).toThrow(/unknown tier "NYSE"/);
    expect(first({ ...ok, weekEnding: '2025-12-04' })).toThrow(/must be a Friday/);
    expect(first({ ...ok, weekEnding: '2025-02-30' })).toThrow(/YYYY-MM-DD/);
    expect(first({ ...ok, rows: -1 })).toThrow(SyntheticOptionsError);
    expect(first({ ...ok, rows: 1.5 })).toThrow(SyntheticOptionsError);
    expect(first({ ...ok, rows: MAX_ROWS + 1 })).toThrow(SyntheticOptionsError);
    expect(first({ ...ok, rejectRate: 1.5 })).toThrow(/reject rate/);
    expect(first({ ...ok, seed: Number.NaN })).toThrow(/seed/);
  });
});

describe('writeWeekFile', () => {
  it('writes the same bytes as the generator and reports them', async () => {
    const options = { tier: 'OTC', weekEnding: WEEK, rows: 5000, seed: 4, rejectRate: 0.02 };
    const path = join(tmp, 'OTC', `${WEEK}.psv`);
    const result = await writeWeekFile(path, options);
    const bytes = readFileSync(path);
    expect(result.sha256).toBe(sha256(bytes));
    expect(result.sha256).toBe(sha256(text(options)));
    expect(result.bytes).toBe(bytes.length);
    expect(result.rows).toBe(5000);
    expect(bytes.toString('utf8').split('\n')).toHaveLength(5002); // header + rows + the empty string after the last '\n'
  });

  it('streams 200,000 rows', async () => {
    const path = join(tmp, 'big.psv');
    const result = await writeWeekFile(path, { tier: 'NMS_TIER_1', weekEnding: WEEK, rows: 200_000, seed: 1 });
    expect(result.rows).toBe(200_000);
    const content = readFileSync(path, 'utf8');
    expect(content.split('\n')).toHaveLength(200_002);
    expect(result.stats.maxShares).toBeGreaterThan(2 ** 31);
  }, 60_000);

  it('fails before touching the disk on bad options', async () => {
    const path = join(tmp, 'never', 'x.psv');
    await expect(writeWeekFile(path, { tier: 'OTC', weekEnding: '2025-12-06', rows: 1, seed: 1 })).rejects.toThrow(/Friday/);
    expect(() => readFileSync(path)).toThrow();
  });
});

describe('symbolSeed', () => {
  const symbolsAndVolumes = (seed: number, symbolSeed?: number) => {
    const lines = [...generateWeekLines({ tier: 'NMS_TIER_2', weekEnding: '2025-12-05', rows: 400, seed, symbolSeed })].slice(1).map((l) => l.split('|'));
    return { symbols: new Set(lines.map((f) => f[1])), volumes: lines.map((f) => f[5]).join(',') };
  };
  /** The share of `a`'s symbols that `b` also trades. */
  const shared = (a: Set<string | undefined>, b: Set<string | undefined>) => [...a].filter((s) => b.has(s)).length / a.size;

  it('keeps the symbols of its seed while the seed moves the figures (a week\'s ATS and non-ATS files)', () => {
    const ats = symbolsAndVolumes(6110);
    const nonAts = symbolsAndVolumes(6610, 6110);
    // The same universe in the same order; the seed's venue counts move where the rows run out by a symbol or two.
    expect(shared(nonAts.symbols, ats.symbols)).toBeGreaterThan(0.95);
    expect(nonAts.volumes).not.toBe(ats.volumes);
    expect(shared(symbolsAndVolumes(6610).symbols, ats.symbols)).toBeLessThan(0.5);
    expect(symbolsAndVolumes(6110, 6110)).toEqual(ats);
  });
});
