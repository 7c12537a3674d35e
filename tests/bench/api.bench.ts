/**
 * bench:api — the research API's read models on generated history: BENCH_WEEKS weeks (104) x 3 tiers x the venue
 * types of BENCH_VENUE_TYPES (ATS,NON_ATS) of BENCH_ROWS lines each (32,000; 104 x 3 x 2 x 32,000 is about 20M venue
 * rows), loaded in-process with runWeek into a database of its own (one generated universe, so symbols recur from
 * week to week), with every eighth week of NMS Tier 1 revised (a second capture). Then, in a loop of BENCH_SAMPLES (200) questions each: a symbol's whole history, latest and as
 * of a publication date inside the history; a week's venue table for a tier; a page of 1,000 rows of a week's
 * snapshot. Prints p50 and p95 of each, and the load time.
 *
 * BENCH_DATABASE_URL measures on a database loaded before (by a run killed after its load, whose database stays):
 * nothing is loaded, and the database is kept.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPool, weekEndingsBetween, addWeeks } from '@spine/platform';
import { TIERS, type Tier, type VenueType } from '@spine/otc';
import { symbolHistoryQuery, weekTierQuery } from '@spine/otc/research/request-schemas';
import { symbolHistory } from '@spine/otc/research/symbol-history';
import { weekSnapshot } from '@spine/otc/research/week-snapshot';
import { weekVenues } from '@spine/otc/research/week-venues';
import { benchDatabase } from './bench-database.ts';
import { printQuestionTimes } from './question-times.ts';
import { loadGeneratedHistory } from './generated-history.ts';

const WEEKS = Number(process.env.BENCH_WEEKS ?? 104);
const ROWS = Number(process.env.BENCH_ROWS ?? 32_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const VENUE_TYPES = (process.env.BENCH_VENUE_TYPES ?? 'ATS,NON_ATS').split(',') as VenueType[];
const LAST_WEEK = '2025-12-05';
const weeks = weekEndingsBetween(addWeeks(LAST_WEEK, -(WEEKS - 1)), LAST_WEEK);

const reused = process.env.BENCH_DATABASE_URL;
const db = reused ? { url: reused, drop: async () => {} } : await benchDatabase('api');
const pool = createPool(db.url, 4);
const dir = await mkdtemp(join(tmpdir(), 'spine-bench-api-'));
try {
  const loadStarted = performance.now();
  if (!reused) await loadGeneratedHistory(pool, dir, { weeks, rows: ROWS, venueTypes: VENUE_TYPES, reviseEvery: 8 });
  const { rows: [size] } = await pool.query<{ lines: string; captures: string }>(
    'SELECT (SELECT count(*) FROM otc_week_lines) AS lines, (SELECT count(*) FROM core_captures) AS captures');
  console.log(`bench:api — ${reused ? 'on BENCH_DATABASE_URL: ' : ''}${weeks.length} weeks x ${TIERS.length} tiers x ${VENUE_TYPES.join('+')}, ${ROWS.toLocaleString('en-US')} rows a week: ` +
    `${Number(size!.lines).toLocaleString('en-US')} venue rows in ${size!.captures} captures${reused ? '' : `, loaded in ${Math.round((performance.now() - loadStarted) / 1000)} s`}`);

  // The generated universe moves from week to week: the symbols with the longest histories are asked for.
  const { rows: symbols } = await pool.query<{ symbol: string; weeks: number }>(
    `SELECT s.symbol, count(*)::int AS weeks FROM otc_week_symbols s JOIN core_captures c USING (capture_key)
      WHERE c.key_1 = 'NMS_TIER_1' AND c.key_2 = 'ATS' GROUP BY s.symbol ORDER BY count(*) DESC, s.symbol LIMIT $1`, [SAMPLES]);
  console.log(`  ${symbols.length} symbols asked for, with ${symbols.at(-1)?.weeks} to ${symbols[0]?.weeks} weeks of NMS Tier 1 ATS history each`);
  const asOf = addWeeks(weeks[Math.floor(weeks.length / 2)]!, 3);
  const pick = <T>(items: readonly T[], i: number) => items[i % items.length]!;
  const questions: Record<string, (i: number) => Promise<unknown>> = {
    'symbol history, latest (1 tier, both venue types)': (i) =>
      symbolHistory(pool, pick(symbols, i).symbol, symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', page_size: 1000 })),
    [`symbol history, as_of_published ${asOf}`]: (i) =>
      symbolHistory(pool, pick(symbols, i).symbol, symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', page_size: 1000, as_of_published: asOf })),
    'symbol history, latest, no tier given (3 tiers)': (i) => symbolHistory(pool, pick(symbols, i).symbol, symbolHistoryQuery.parse({ page_size: 1000 })),
    "week's venue table (1 tier, both venue types)": (i) =>
      weekVenues(pool, pick(weeks, i * 7), weekTierQuery.parse({ tier: pick(TIERS, i) as Tier, page_size: 1000 })),
    "week's snapshot, first 1,000 rows": (i) => weekSnapshot(pool, pick(weeks, i * 7), weekTierQuery.parse({ tier: 'NMS_TIER_1', page_size: 1000 })),
  };
  await printQuestionTimes(questions, SAMPLES, 10);
} finally {
  await pool.end();
  await rm(dir, { recursive: true, force: true });
  await db.drop();
}
