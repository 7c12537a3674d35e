import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardHandle } from '@spine/dashboard';
import { datasets } from '@spine/datasets';
import { runWeek } from '@spine/otc';
import { runPartition } from '@spine/platform';
import { dailyFileName, regshoDataset } from '@spine/regsho';
import { GENERATED_MARKETS, writeDailyFiles } from '@spine/regsho-synthetic';
import { createApiToken, openApiDocument, researchEndpoints } from '@spine/research';
import { resetData, testDatabaseUrl, testPool } from '../support/database.ts';
import { basicGet, startTestDashboard, VIEWER } from '../support/dashboard.ts';
import { writeOtcWeekFile } from '../support/otc-week-file.ts';
import { runSpine } from '../support/spine-cli.ts';
import { republishDailyFile } from './regsho-support.ts';

/**
 * Reg SHO's endpoints of /api/v1 (libs/regsho/src/research), served by the dashboard through the dataset's definition:
 * generated daily files of the week ending 2025-01-10 (2025-01-09 was a closure), every facility, loaded through
 * runPartition; each day's figures are checked against the files' sums (in hundredths, with BigInt: the files carry
 * quarter fractions) and against the readers' views. Each file is captured on its trade date (published_on, what
 * as_of_published compares with); then Q's file of 2025-01-08 is republished on 2025-01-15 with other volumes.
 */
const pool = testPool();
const dir = mkdtempSync(join(tmpdir(), 'regsho-research-'));
const DAYS = ['2025-01-06', '2025-01-07', '2025-01-08', '2025-01-10'];
const WEEK = '2025-01-10';
const REVISED_DAY = '2025-01-08';
let dashboard: DashboardHandle;
let token: string;
let files: string[];
/** A symbol on Q's file of the revised day, and the two with OTC volume in the week. */
let symbol: string;
let otcSymbols: [string, string];

const hundredths = (text: string) => {
  const [whole = '0', fraction = ''] = text.split('.');
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
};
const fileLines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').slice(1, -1).map((line) => line.split('|') as [string, string, string, string, string, string]);

/** A symbol's day summed over the files, as the API answers it. */
function expectedDay(symbolName: string, day: string, replaced: Map<string, string> = new Map()) {
  let short = 0n;
  let exempt = 0n;
  let total = 0n;
  const markets: string[] = [];
  for (const market of [...GENERATED_MARKETS].sort()) {
    const file = replaced.get(`${market}|${day}`) ?? join(dir, 'regsho', dailyFileName(market, day));
    const line = fileLines(file).find((l) => l[1] === symbolName);
    if (!line) continue;
    markets.push(market);
    short += hundredths(line[2]);
    exempt += hundredths(line[3]);
    total += hundredths(line[4]);
  }
  return { short, exempt, total, markets };
}

const bearer = (path: string) => fetch(`${dashboard.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
async function ask<T = DailyAnswer>(path: string, status = 200): Promise<T> {
  const res = await bearer(path);
  const body = await res.json();
  expect(res.status, `${path}: ${JSON.stringify(body)}`).toBe(status);
  return body as T;
}

interface DailyRow {
  trade_date: string; symbol: string; short_volume: string; short_exempt_volume: string; total_volume: string; short_ratio: number | null;
  short_exempt_share: number | null; market_codes: string[]; capture_ids: string[]; window_start: string; days_in_window: number; is_complete: boolean;
  avg_short_ratio_20d: number | null;
}
interface Provenance { as_of: { published: string | null }; captures: { capture_id: string; trade_date: string; market_code: string; revision: number }[]; attribution: string }
interface DailyAnswer { data: DailyRow[]; next_page_token: null; provenance: Provenance }
interface WeekAnswer { data: Record<string, unknown>[]; next_page_token: string | null; provenance: Provenance }

const otcFile = (name: string, venueType: 'ATS' | 'NON_ATS', lines: string[]) => writeOtcWeekFile(dir, name, venueType, lines);

beforeAll(async () => {
  await resetData(pool);
  ({ files } = await writeDailyFiles({ dir, days: DAYS, symbols: 30, seed: 11 }));
  for (const day of DAYS) {
    for (const market of GENERATED_MARKETS) {
      const result = await runPartition(pool, regshoDataset, { key1: market, periodEnd: day, file: join(dir, 'regsho', dailyFileName(market, day)), maxRejectShare: 0 });
      expect(result.status).toBe('completed');
    }
  }
  // Captured on each trade date in the evening, New York time: FINRA published each file that day.
  await pool.query(`UPDATE core_captures SET captured_at = (period_end + time '19:00') AT TIME ZONE 'America/New_York' WHERE domain = 'regsho'`);
  symbol = fileLines(join(dir, 'regsho', dailyFileName('Q', REVISED_DAY)))[0]![1];
  const weekSymbols = [...new Set(files.flatMap((f) => fileLines(f).map((l) => l[1])))].sort();
  otcSymbols = [weekSymbols[0]!, weekSymbols[1]!];
  const [a, b] = otcSymbols;
  await runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: WEEK, venueType: 'ATS', maxRejectShare: 0,
    file: otcFile('ats.psv', 'ATS', [`${a}|A Corp|Venue One|VONE|1000|10`, `${a}|A Corp|Venue Two|VTWO|500|5`, `${b}|B Corp|Venue One|VONE|300|3`]) });
  await runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: WEEK, venueType: 'NON_ATS', maxRejectShare: 0,
    file: otcFile('non-ats.psv', 'NON_ATS', [`${a}|A Corp|Dealer One|DONE|500|5`]) });
  dashboard = await startTestDashboard();
  token = (await createApiToken(pool, 'regsho-test')).token;
});
afterAll(async () => {
  await dashboard?.close();
  await pool.end();
  rmSync(dir, { recursive: true, force: true });
});

describe('/api/v1/datasets/regsho', () => {
  let before: DailyAnswer;

  it("answers a symbol's days with the files' sums, the views' ratios and 20-day means, and the captures read", async () => {
    before = await ask(`/datasets/regsho/symbols/${symbol.toLowerCase()}/daily?from=2025-01-06&to=2025-01-10`);
    const traded = DAYS.filter((day) => expectedDay(symbol, day).markets.length > 0);
    expect(before.data.map((r) => r.trade_date)).toEqual(traded);
    for (const row of before.data) {
      const want = expectedDay(symbol, row.trade_date);
      expect({ symbol: row.symbol, short: hundredths(row.short_volume), exempt: hundredths(row.short_exempt_volume), total: hundredths(row.total_volume), markets: row.market_codes })
        .toEqual({ symbol, short: want.short, exempt: want.exempt, total: want.total, markets: want.markets });
      expect(row.short_ratio).toBeCloseTo(Number(want.short) / Number(want.total), 6);
    }
    // The same figures as the readers' views, exactly.
    const { rows: views } = await pool.query(
      `SELECT to_char(d.trade_date, 'YYYY-MM-DD') AS trade_date, d.short_volume::text AS short_volume, d.short_ratio::float8 AS short_ratio,
              d.short_exempt_share::float8 AS short_exempt_share, d.capture_ids, to_char(r.window_start, 'YYYY-MM-DD') AS window_start,
              r.days_in_window, r.is_complete, r.avg_short_ratio::float8 AS avg_short_ratio_20d
         FROM regsho_symbol_daily_latest d JOIN regsho_symbol_rolling_20d_latest r USING (trade_date, symbol)
        WHERE d.symbol = $1 ORDER BY d.trade_date`, [symbol]);
    expect(before.data.map((r) => ({ trade_date: r.trade_date, short_volume: r.short_volume, short_ratio: r.short_ratio, short_exempt_share: r.short_exempt_share,
      capture_ids: r.capture_ids, window_start: r.window_start, days_in_window: r.days_in_window, is_complete: r.is_complete, avg_short_ratio_20d: r.avg_short_ratio_20d })))
      .toEqual(views);
    expect(before.data.at(-1)).toMatchObject({ window_start: '2024-12-11', days_in_window: traded.length, is_complete: false });
    expect(before.provenance.captures.map((c) => c.capture_id).sort()).toEqual(before.data.flatMap((r) => r.capture_ids).sort());
    expect(before.provenance.captures[0]).toMatchObject({ trade_date: traded[0], revision: 1, published_on: traded[0] });
    expect(before.provenance.attribution).toMatch(/FINRA Reg SHO Daily Short Sale Volume/);
    expect(before.provenance.as_of.published).toBeNull();
    // Without from and to: the trade dates loaded (fewer than 60 here); `to` alone counts back from it.
    expect((await ask(`/datasets/regsho/symbols/${symbol}/daily`)).data).toEqual(before.data);
    expect((await ask(`/datasets/regsho/symbols/${symbol}/daily?to=2025-01-07`)).data.map((r) => r.trade_date)).toEqual(traded.filter((d) => d <= '2025-01-07'));
  });

  it('answers as FINRA had published it: before a republished file the old figures, after it and by default the new', async () => {
    const revised = await republishDailyFile(pool, dir, 'Q', REVISED_DAY, '2025-01-15T19:00:00-05:00');
    expect(revised.revision).toBe(2);
    const revisedFile = revised.file;

    const path = `/datasets/regsho/symbols/${symbol}/daily?from=2025-01-06&to=2025-01-10`;
    const asOfBefore = await ask(`${path}&as_of_published=2025-01-14`);
    expect(asOfBefore.data).toEqual(before.data);
    expect(asOfBefore.provenance.as_of.published).toBe('2025-01-14');
    expect(asOfBefore.provenance.captures.some((c) => c.capture_id === revised.captureId)).toBe(false);

    const latest = await ask(path);
    const day = (answer: DailyAnswer) => answer.data.find((r) => r.trade_date === REVISED_DAY)!;
    const want = expectedDay(symbol, REVISED_DAY, new Map([[`Q|${REVISED_DAY}`, revisedFile]]));
    expect({ short: hundredths(day(latest).short_volume), total: hundredths(day(latest).total_volume) }).toEqual({ short: want.short, total: want.total });
    expect(hundredths(day(latest).short_volume) - hundredths(day(before).short_volume)).toBe(100_000n);
    expect(hundredths(day(latest).total_volume) - hundredths(day(before).total_volume)).toBe(200_000n);
    expect(day(latest).capture_ids).toContain(revised.captureId);
    expect(latest.provenance.captures.find((c) => c.capture_id === revised.captureId)).toMatchObject({ trade_date: REVISED_DAY, market_code: 'Q', revision: 2, published_on: '2025-01-15' });
    expect((await ask(`${path}&as_of_published=2025-01-15`)).data).toEqual(latest.data);
    // As of 2025-01-07 the later days' files did not exist yet.
    const early = await ask(`${path}&as_of_published=2025-01-07`);
    expect(early.data.map((r) => r.trade_date)).toEqual(before.data.map((r) => r.trade_date).filter((d) => d <= '2025-01-07'));
  });

  it("pages a week's research rows: short volume per symbol beside OTC's ATS and non-ATS volume, as the view has them", async () => {
    const seen: Record<string, unknown>[] = [];
    let next: string | null = null;
    let pages = 0;
    do {
      const page: WeekAnswer = await ask<WeekAnswer>(`/datasets/regsho/weeks/${WEEK}/research?page_size=7${next ? `&page_token=${encodeURIComponent(next)}` : ''}`);
      seen.push(...page.data);
      expect(page.provenance.captures.map((c) => c.capture_id).sort()).toEqual([...new Set(page.data.flatMap((r) => r.regsho_capture_ids as string[]))].sort());
      next = page.next_page_token;
      pages++;
    } while (next);
    const { rows: view } = await pool.query(
      `SELECT symbol, trading_days, short_volume::text AS short_volume, total_volume::text AS total_volume, ats_volume::text AS ats_volume,
              non_ats_volume::text AS non_ats_volume, ats_share_pct::float8 AS ats_share_pct
         FROM research_symbol_week_latest WHERE week_ending = $1 ORDER BY symbol COLLATE "C"`, [WEEK]);
    expect(seen.map(({ symbol: s, trading_days, short_volume, total_volume, ats_volume, non_ats_volume, ats_share_pct }) =>
      ({ symbol: s, trading_days, short_volume, total_volume, ats_volume, non_ats_volume, ats_share_pct }))).toEqual(view);
    expect(pages).toBe(Math.ceil(view.length / 7));
    expect(view.length).toBe(30);
    const [a, b] = otcSymbols;
    expect(seen.find((r) => r.symbol === a)).toMatchObject({ ats_volume: '1500', non_ats_volume: '500', ats_share_pct: 75, tiers: ['NMS_TIER_1'] });
    expect(seen.find((r) => r.symbol === b)).toMatchObject({ ats_volume: '300', non_ats_volume: null, ats_share_pct: null });
    // One symbol, any case; its week's short volume is its days' sums (the republished Q file included).
    const one = await ask<WeekAnswer>(`/datasets/regsho/weeks/${WEEK}/research?symbol=${symbol.toLowerCase()}`);
    expect(one.data).toHaveLength(1);
    const replaced = new Map([[`Q|${REVISED_DAY}`, join(dir, 'Q-revised.txt')]]);
    expect(hundredths(one.data[0]!.short_volume as string)).toBe(DAYS.reduce((sum, d) => sum + expectedDay(symbol, d, replaced).short, 0n));
  });

  it('answers an unknown symbol with no rows, and bad input with 400 and one message', async () => {
    expect(await ask('/datasets/regsho/symbols/NOSUCH/daily')).toMatchObject({ data: [], next_page_token: null, provenance: { captures: [] } });
    // Dates outside what is loaded, and outside the exchange calendar's span, are no rows rather than an error.
    expect((await ask(`/datasets/regsho/symbols/${symbol}/daily?from=2031-01-06`)).data).toEqual([]);
    expect((await ask(`/datasets/regsho/symbols/${symbol}/daily?from=2010-01-04&to=2010-01-08`)).data).toEqual([]);
    const refused: [string, RegExp][] = [
      ['/datasets/regsho/symbols/-AB/daily', /^symbol: a symbol is 1 to 14 letters/],
      [`/datasets/regsho/symbols/${symbol}/daily?from=2025-13-01`, /^from: a date, YYYY-MM-DD$/],
      [`/datasets/regsho/symbols/${symbol}/daily?from=2025-01-10&to=2025-01-06`, /^to: to 2025-01-06 is before from 2025-01-10$/],
      [`/datasets/regsho/symbols/${symbol}/daily?as_of_published=yesterday`, /^as_of_published: a date/],
      ['/datasets/regsho/weeks/2025-01-09/research', /^week_ending: .*Friday/],
      [`/datasets/regsho/weeks/${WEEK}/research?page_size=0`, /^page_size: /],
      [`/datasets/regsho/weeks/${WEEK}/research?page_token=garbage`, /^page_token: not a token this API issued$/],
    ];
    for (const [path, message] of refused) {
      const body = await ask<{ error: string }>(path, 400);
      expect(body.error, path).toMatch(message);
    }
  });

  it('serves them behind the sign-in of /api/v1, described in the OpenAPI document, answers of the shapes it describes', async () => {
    expect((await fetch(`${dashboard.url}/api/v1/datasets/regsho/weeks/${WEEK}/research`)).status).toBe(401);
    const viaViewer = await basicGet(`${dashboard.url}/api/v1/datasets/regsho/weeks/${WEEK}/research`, VIEWER);
    expect(viaViewer.status).toBe(200);
    const endpoints = await researchEndpoints(datasets.list());
    const document = await ask<{ paths: Record<string, unknown> }>('/openapi.json');
    expect(document).toEqual(openApiDocument(endpoints));
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/datasets/regsho/symbols/{symbol}/daily', '/datasets/regsho/weeks/{week_ending}/research']));
    for (const [operationId, path] of [['regshoSymbolDaily', `/datasets/regsho/symbols/${symbol}/daily`], ['regshoWeekResearch', `/datasets/regsho/weeks/${WEEK}/research`]]) {
      const endpoint = endpoints.find((e) => e.operationId === operationId)!;
      const body = await ask<WeekAnswer>(path!);
      expect(() => endpoint.answer.parse(body), path).not.toThrow();
      // Volumes are exact decimal strings: a number is not the shape described.
      expect(() => endpoint.answer.parse({ ...body, data: [{ ...body.data[0], short_volume: 1 }] }), path).toThrow();
    }
  });

  it('lists every registered dataset at /api/v1/datasets, from its definition, with what it has loaded; `spine query get /datasets` too', async () => {
    const listed = await ask<{ data: Record<string, unknown>[]; provenance: Provenance }>('/datasets');
    expect(listed.data.map((d) => d.dataset)).toEqual(datasets.names());
    const regsho = listed.data.find((d) => d.dataset === 'regsho')!;
    expect(regsho).toMatchObject({
      title: regshoDataset.title, publisher: 'FINRA', period: { kind: 'trading_day', field: 'trade_date', label: 'Trade date', calendar: 'XNYS' },
      keys: [{ field: 'market_code', label: 'Facility', values: ['N', 'Q', 'B', 'D', 'O'] }], tiers: ['N', 'Q', 'B', 'D', 'O'], venue_types: [],
      first_period: DAYS[0], last_period: DAYS.at(-1), first_week: DAYS[0], last_week: DAYS.at(-1),
      partitions: DAYS.length * GENERATED_MARKETS.length, captures: DAYS.length * GENERATED_MARKETS.length + 1,
      paths: ['/datasets/regsho/symbols/{symbol}/daily', '/datasets/regsho/weeks/{week_ending}/research'],
    });
    expect(regsho.attribution).toMatch(/FINRA Reg SHO Daily Short Sale Volume/);
    const otc = listed.data.find((d) => d.dataset === 'otc')!;
    expect(otc).toMatchObject({
      tiers: ['NMS_TIER_1', 'NMS_TIER_2', 'OTC'], venue_types: ['ATS', 'NON_ATS'], first_week: WEEK, last_week: WEEK, partitions: 2, captures: 2,
      period: { kind: 'week', field: 'week_ending', calendar: null }, description: expect.stringMatching(/^FINRA OTC weekly transparency/),
    });
    expect(otc.paths).toContain('/symbols/{symbol}/history');
    expect(listed.provenance.captures).toEqual([]);
    const endpoint = (await researchEndpoints(datasets.list())).find((e) => e.operationId === 'listDatasets')!;
    expect(() => endpoint.answer.parse(listed)).not.toThrow();
    const run = await runSpine(['query', 'get', '/datasets', '--json'], { DATABASE_URL: testDatabaseUrl() });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).data).toEqual(listed.data);
  });

  it('defaults to the 60 newest trade dates loaded, each day\'s 20-day window read back past the first', async () => {
    // Q's files of the trading days from 2024-09-23 to 2025-01-03: with the week's, more than 60 trade dates.
    const { rows: earlier } = await pool.query<{ day: string }>(`SELECT to_char(d, 'YYYY-MM-DD') AS day FROM core_trading_days('XNYS', '2024-09-23', '2025-01-03') d ORDER BY d`);
    await writeDailyFiles({ dir, days: earlier.map((r) => r.day), markets: ['Q'], symbols: 30, seed: 11 });
    for (const { day } of earlier) {
      expect((await runPartition(pool, regshoDataset, { key1: 'Q', periodEnd: day, file: join(dir, 'regsho', dailyFileName('Q', day)), maxRejectShare: 0 })).status).toBe('completed');
    }
    const loaded = [...earlier.map((r) => r.day), ...DAYS];
    expect(loaded.length).toBeGreaterThan(60);
    const firstDefault = loaded.at(-60)!;
    const answer = await ask(`/datasets/regsho/symbols/${symbol}/daily`);
    const { rows: views } = await pool.query(
      `SELECT to_char(d.trade_date, 'YYYY-MM-DD') AS trade_date, d.short_volume::text AS short_volume, d.capture_ids, r.days_in_window, r.is_complete,
              r.avg_short_ratio::float8 AS avg_short_ratio_20d
         FROM regsho_symbol_daily_latest d JOIN regsho_symbol_rolling_20d_latest r USING (trade_date, symbol)
        WHERE d.symbol = $1 AND d.trade_date >= $2 ORDER BY d.trade_date`, [symbol, firstDefault]);
    expect(views.length).toBeGreaterThan(20);
    expect(answer.data.map(({ trade_date, short_volume, capture_ids, days_in_window, is_complete, avg_short_ratio_20d }) =>
      ({ trade_date, short_volume, capture_ids, days_in_window, is_complete, avg_short_ratio_20d }))).toEqual(views);
    expect(answer.provenance.captures.some((c) => c.trade_date < answer.data[0]!.trade_date)).toBe(true);
    expect(answer.data[0]!.days_in_window).toBeGreaterThan(1);
  });

  it('is asked by `spine query get` with the same answer', async () => {
    const path = `/datasets/regsho/symbols/${symbol}/daily?from=2025-01-06`;
    const run = await runSpine(['query', 'get', path, 'as_of_published=2025-01-14', '--json'], { DATABASE_URL: testDatabaseUrl() });
    expect(run.stderr).toBe('');
    const { data, provenance } = await ask(`${path}&as_of_published=2025-01-14`);
    expect(JSON.parse(run.stdout)).toEqual({ data, provenance });
    const table = await runSpine(['query', 'get', `/api/v1/datasets/regsho/weeks/${WEEK}/research`, `symbol=${symbol}`], { DATABASE_URL: testDatabaseUrl() });
    expect(table.stdout).toMatch(/1 rows from \d+ captures/);
    const bad = await runSpine(['query', 'get', `/datasets/regsho/symbols/${symbol}/daily`, 'from=2025-13-01'], { DATABASE_URL: testDatabaseUrl() });
    expect({ code: bad.code, stderr: bad.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/from: a date, YYYY-MM-DD/) });
  });

  it('is asked by its own commands, `spine query regsho symbol|week`, with the same answers', async () => {
    const env = { DATABASE_URL: testDatabaseUrl() };
    const daily = await runSpine(['query', 'regsho', 'symbol', symbol, '--from', '2025-01-06', '--as-of-published', '2025-01-14', '--json'], env);
    expect(daily.stderr).toBe('');
    const { data, provenance } = await ask(`/datasets/regsho/symbols/${symbol}/daily?from=2025-01-06&as_of_published=2025-01-14`);
    expect(JSON.parse(daily.stdout)).toEqual({ data, provenance });
    const week = await runSpine(['query', 'regsho', 'week', WEEK, '--symbol', symbol], env);
    expect(week.stdout.split('\n')[1]).toMatch(/week_ending .*symbol .*trading_days .*short_volume .*ats_share_pct/);
    expect(week.stdout).toContain(symbol);
    expect(week.stdout).toMatch(/1 rows from \d+ captures/);
    const bad = await runSpine(['query', 'regsho', 'symbol', symbol, '--to', '2025-13-01'], env);
    expect({ code: bad.code, stderr: bad.stderr.trim() }).toEqual({ code: 2, stderr: expect.stringMatching(/--to: a date, YYYY-MM-DD/) });
  });
});
