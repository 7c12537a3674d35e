import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pool } from '@spine/platform';
import { captureList } from '@spine/otc/research/capture-list';
import { partitions } from '@spine/otc/research/partitions';
import { capturesQuery, diffQuery, partitionsQuery, symbolHistoryQuery, venueHistoryQuery, weekTierQuery } from '@spine/otc/research/request-schemas';
import type { SymbolWeek } from '@spine/otc/research/response-schemas';
import { revisionDiff } from '@spine/otc/research/revision-diff';
import { symbolHistory } from '@spine/otc/research/symbol-history';
import { weekSnapshot } from '@spine/otc/research/week-snapshot';
import { venueHistory, weekVenues } from '@spine/otc/research/week-venues';
import { NotFoundError } from '@spine/platform/research/errors';
import { InputError } from '@spine/platform';
import { testPool, resetData } from '../support/database.ts';
import { loadResearchData, loadRevision, REVISED_WEEK, REVISION_PUBLISHED } from './support.ts';

const pool: Pool = testPool();
let before: Awaited<ReturnType<typeof symbolHistory>>;
let between: string;
let firstCapture: string;
let revised: { captureId: string; revision: number };

const history = (query: Record<string, unknown>) => symbolHistory(pool, 'AAPL', symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', ...query }));

beforeAll(async () => {
  await resetData(pool);
  await loadResearchData(pool);
  before = await history({});
  firstCapture = before.data.find((w) => w.week_ending === REVISED_WEEK)!.capture_id;
  between = (await pool.query<{ now: string }>(`SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS now`)).rows[0]!.now;
  revised = await loadRevision(pool);
});
afterAll(() => pool.end());

describe('point-in-time answers on the golden weeks and a revised week', () => {
  it('answers as of a date before the revision was published with the first revision, on either clock', async () => {
    expect(revised.revision).toBe(2);
    const latest = await history({});
    const week = (answer: { data: SymbolWeek[] }) => answer.data.find((w) => w.week_ending === REVISED_WEEK)!;
    expect(week(latest)).toMatchObject({ capture_id: revised.captureId, revision: 2, total_volume: 1400000 + 950000, total_trades: 9100 + 5800 });
    expect(week(before)).toMatchObject({ capture_id: firstCapture, revision: 1, total_volume: 1250000 + 950000 });

    const dayBefore = await history({ as_of_published: '2025-12-28' });
    const captured = await history({ as_of_captured: between });
    for (const asOf of [dayBefore, captured]) {
      expect(asOf.data).toEqual(before.data);
      expect(asOf.provenance.captures).toEqual(before.provenance.captures);
    }
    expect(dayBefore.provenance.as_of).toEqual({ published: '2025-12-28', captured: null });
    // The later weeks' rolling windows include the revised week: as of then, with its first revision's volume.
    expect(dayBefore.data.find((w) => w.week_ending === '2025-12-05')!.rolling_mean_volume)
      .not.toBe(latest.data.find((w) => w.week_ending === '2025-12-05')!.rolling_mean_volume);
    expect(week(await history({ as_of_published: REVISION_PUBLISHED }))).toEqual(week(latest));
  });

  it('selects by FINRA\'s publication date: as of 2025-11-30 only the Tier 1 weeks published by then (week ending + 17 days)', async () => {
    const asOf = await history({ as_of_published: '2025-11-30' });
    expect(asOf.data.map((w) => w.week_ending)).toEqual(['2025-10-31', '2025-11-07']);
    expect(asOf.provenance.captures.map((c) => c.published_on)).toEqual(['2025-11-17', '2025-11-24']);
    expect((await history({ as_of_published: '2025-11-16' })).data).toEqual([]);
  });

  it('computes, for the newest captures, the figures the pipeline stored (rolling windows, ATS share, concentration)', async () => {
    const { rows: stored } = await pool.query(
      `SELECT to_char(week_ending, 'YYYY-MM-DD') AS week_ending, tier, venue_type, symbol, total_volume::float8 AS total_volume, venue_count,
              hhi::float8 AS hhi, top_mpid, top_venue_share_pct::float8 AS top_venue_share_pct, ats_share_pct::float8 AS ats_share_pct,
              rolling_mean_volume::float8 AS rolling_mean_volume, rolling_weeks_in_window, rolling_is_complete, trend_pct::float8 AS trend_pct,
              trend_direction, quality_status, capture_id
         FROM otc_research_snapshot_latest ORDER BY tier, week_ending, venue_type, symbol`);
    expect(stored.length).toBeGreaterThan(50);
    const weeks = [...new Set(stored.map((r) => `${r.week_ending} ${r.tier}`))];
    const answered: Record<string, unknown>[] = [];
    for (const key of weeks) {
      const [weekEnding, tier] = key.split(' ');
      const answer = await weekSnapshot(pool, weekEnding!, weekTierQuery.parse({ tier, page_size: 1000 }));
      answered.push(...answer.data.map((w) => ({
        week_ending: w.week_ending, tier: w.tier, venue_type: w.venue_type, symbol: w.symbol, total_volume: w.total_volume, venue_count: w.venue_count,
        hhi: w.hhi, top_mpid: w.top_mpid, top_venue_share_pct: w.top_venue_share_pct, ats_share_pct: w.ats_share_pct, rolling_mean_volume: w.rolling_mean_volume,
        rolling_weeks_in_window: w.rolling_weeks_in_window, rolling_is_complete: w.rolling_is_complete, trend_pct: w.trend_pct,
        trend_direction: w.trend_direction, quality_status: w.quality_status, capture_id: w.capture_id,
      })));
    }
    expect(answered).toEqual(stored);
    expect(answered.filter((w) => w.ats_share_pct !== null).length).toBeGreaterThan(0);
  });

  it('gives a week\'s venue table and a venue\'s history as otc_venue_share holds them, as of either clock', async () => {
    const venues = await weekVenues(pool, REVISED_WEEK, weekTierQuery.parse({ tier: 'T1' }));
    const { rows } = await pool.query(`SELECT mpid, total_volume::float8 AS total_volume, volume_rank FROM otc_venue_share_latest
      WHERE week_ending = $1 AND tier = 'NMS_TIER_1' ORDER BY volume_rank, mpid`, [REVISED_WEEK]);
    expect(venues.data.map((v) => ({ mpid: v.mpid, total_volume: v.total_volume, volume_rank: v.volume_rank }))).toEqual(rows);
    const asOf = await weekVenues(pool, REVISED_WEEK, weekTierQuery.parse({ tier: 'T1', as_of_published: '2025-12-08' }));
    expect(asOf.data.every((v) => v.capture_id === firstCapture)).toBe(true);
    expect(asOf.data.find((v) => v.mpid === 'UBSA')!.total_volume).toBe(venues.data.find((v) => v.mpid === 'UBSA')!.total_volume - 150000 - 12345);

    const ubsa = await venueHistory(pool, 'UBSA', venueHistoryQuery.parse({ tier: 'NMS_TIER_1' }));
    expect(ubsa.data.map((v) => v.week_ending)).toEqual(['2025-10-31', '2025-11-07', '2025-11-14', '2025-11-21', '2025-11-28', '2025-12-05']);
  });

  it('diffs two revisions of a partition in one call, and refuses captures of two partitions or unknown ones', async () => {
    const diff = await revisionDiff(pool, firstCapture, revised.captureId, diffQuery.parse({}));
    expect(diff.summary).toEqual({ from_capture_id: firstCapture, to_capture_id: revised.captureId, added: 1, removed: 0, changed: 1, unchanged: 5 });
    expect(diff.data.map((c) => [c.change, c.symbol, c.mpid, c.before_volume, c.after_volume])).toEqual([
      ['changed', 'AAPL', 'UBSA', 1250000, 1400000], ['added', 'NEWCO', 'UBSA', null, 12345],
    ]);
    const back = await revisionDiff(pool, revised.captureId, firstCapture, diffQuery.parse({}));
    expect(back.summary).toMatchObject({ added: 0, removed: 1, changed: 1 });
    const other = before.data.find((w) => w.week_ending === '2025-12-05')!.capture_id;
    await expect(revisionDiff(pool, firstCapture, other, diffQuery.parse({}))).rejects.toThrow(InputError);
    await expect(revisionDiff(pool, firstCapture, 'otc-nothing', diffQuery.parse({}))).rejects.toThrow(NotFoundError);
  });

  it('lists partitions with their revisions and captures on both clocks', async () => {
    const parts = await partitions(pool, partitionsQuery.parse({ tier: 'NMS_TIER_1', page_size: 100 }));
    expect(parts.data.find((p) => p.week_ending === REVISED_WEEK)).toMatchObject({ status: 'complete', capture_count: 2, capture_id: revised.captureId, revision: 2, published_on: REVISION_PUBLISHED });
    const then = await partitions(pool, partitionsQuery.parse({ tier: 'NMS_TIER_1', as_of_captured: between }));
    expect(then.data.find((p) => p.week_ending === REVISED_WEEK)).toMatchObject({ capture_count: 1, capture_id: firstCapture, revision: 1 });
    const captures = await captureList(pool, capturesQuery.parse({ tier: 'NMS_TIER_1', from: REVISED_WEEK, to: REVISED_WEEK }));
    expect(captures.data.map((c) => [c.revision, c.finra_last_update_date, c.accepted_rows])).toEqual([[1, '2025-12-08', 6], [2, REVISION_PUBLISHED, 7]]);
  });

  it('walks every row once, page after page, and refuses a page token of another question', async () => {
    const whole = await weekSnapshot(pool, '2025-12-05', weekTierQuery.parse({ tier: 'OTC', page_size: 1000 }));
    expect(whole.data.length).toBe(6);
    for (const size of [1, 2, 4]) {
      const walked: SymbolWeek[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await weekSnapshot(pool, '2025-12-05', weekTierQuery.parse({ tier: 'OTC', page_size: size, page_token: token }));
        expect(page.data.length).toBeLessThanOrEqual(size);
        walked.push(...page.data);
        token = page.next_page_token ?? undefined;
        pages++;
      } while (token);
      expect(walked, `page size ${size}`).toEqual(whole.data);
      expect(pages).toBe(Math.ceil(6 / size));
    }
    const first = await history({ page_size: 2 });
    expect(first.next_page_token).not.toBeNull();
    await expect(symbolHistory(pool, 'MSFT', symbolHistoryQuery.parse({ tier: 'NMS_TIER_1', page_token: first.next_page_token }))).rejects.toThrow(/other parameters/);
    await expect(history({ page_token: 'not-a-token' })).rejects.toThrow(/not a token/);
  });
});
