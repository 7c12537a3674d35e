import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { sourceCatalog, type FinraApiOptions } from '@spine/finra-source';
import { sourcePublication } from '@spine/orchestration';
import { loadSchedules, runTick, updateSchedule, type Enqueuer, type EnqueueWeeks } from '@spine/scheduling';
import { testPool, resetData } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';
import { datasets } from '@spine/datasets';

const pool = testPool();
const logger = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'spine-publication-'));
/** A Tuesday: OTC weeks ending on or before 2025-12-05 are due (published Friday + 31 days, a Monday, 09:00). */
const NOW = new Date('2026-01-06T18:00:00Z');
const TODAY = '2026-01-06';
/** FINRA has published these two OTC weeks; 2025-12-05, also due, it has not. */
const PUBLISHED = ['2025-11-21', '2025-11-28'];
let standIn: FinraStandIn;

/** Records what a tick hands to the cluster, and accepts all of it. */
class RecordingEnqueuer implements Enqueuer {
  readonly requests: EnqueueWeeks[] = [];
  async enqueue(request: EnqueueWeeks) {
    this.requests.push(request);
    return { batch_id: 'recorded', enqueued: request.weeks, in_flight: [] };
  }
  weeks(): string[] {
    return this.requests.flatMap((r) => r.weeks.map((w) => `${w.tier} ${w.venue_type} ${w.week_ending}`)).sort();
  }
}

beforeAll(async () => {
  for (const week of PUBLISHED) await writeWeekFile(join(dir, 'OTC', `${week}.psv`), { tier: 'OTC', weekEnding: week, rows: 10, seed: 3 });
  standIn = await startFinraStandIn({ fixturesDir: dir, today: () => TODAY, logger });
});
afterAll(async () => {
  await standIn.close();
  rmSync(dir, { recursive: true, force: true });
  await pool.end();
});
beforeEach(async () => {
  await resetData(pool);
  // Only the OTC schedule, looking back 4 weeks; the calendar is restored after each test.
  const restore = await saveSchedules(pool);
  for (const schedule of await loadSchedules(pool)) {
    if (schedule.tier === 'OTC') await updateSchedule(pool, schedule.schedule_id, { lookback_weeks: 4 });
    else {
      await updateSchedule(pool, schedule.schedule_id, { enabled: false });
    }
  }
  return restore;
});

/** The scheduler's lookup of what FINRA published, on the stand-in. */
const publicationOn = (finraApi: FinraApiOptions) => sourcePublication(datasets, sourceCatalog({ allow: { dirs: [], buckets: [] }, finraApi }));

describe('the scheduler and FINRA\'s partitions', () => {
  const publication = () => publicationOn({ baseUrl: standIn.url, now: () => NOW });

  it('expects both venue types of the tier: enqueues the missing weeks FINRA lists, and tells the unpublished ones apart', async () => {
    const enqueuer = new RecordingEnqueuer();
    const result = await runTick({ pool, datasets, enqueuer, sinks: [], logger, revisionCheckHours: 24, publication: publication() }, NOW);
    // FINRA's partitions are week x tier: a listed week is published for both venue types.
    expect(enqueuer.weeks()).toEqual(['OTC ATS 2025-11-21', 'OTC ATS 2025-11-28', 'OTC NON_ATS 2025-11-21', 'OTC NON_ATS 2025-11-28']);
    expect(result.lag.map((l) => l.venue_type)).toEqual(['ATS', 'NON_ATS']);
    for (const lag of result.lag) {
      expect(lag).toMatchObject({ tier: 'OTC', missing_weeks: ['2025-12-05', '2025-11-28', '2025-11-21', '2025-11-14'], unpublished_weeks: ['2025-12-05', '2025-11-14'] });
    }
    // One partitions request for the tick, whatever the number of schedules.
    expect(standIn.requests().map((r) => r.path)).toEqual(['/partitions/group/otcMarket/name/weeklySummary']);

    const { rows } = await pool.query(`SELECT key_2 AS venue_type, to_char(period_end, 'YYYY-MM-DD') AS week, detail->'finra_published' AS published
        FROM core_data_readiness WHERE key_1 = 'OTC' ORDER BY key_2, period_end`);
    const perVenueType = [
      { week: '2025-11-14', published: false }, { week: '2025-11-21', published: true }, { week: '2025-11-28', published: true }, { week: '2025-12-05', published: false },
    ];
    expect(rows).toEqual([...perVenueType.map((r) => ({ venue_type: 'ATS', ...r })), ...perVenueType.map((r) => ({ venue_type: 'NON_ATS', ...r }))]);
    // Each venue type's late weeks alert on their own, and say whose delay it is.
    const late = result.alerts.filter((a) => a.change === 'opened');
    const published = { '2025-11-14': false, '2025-11-21': true, '2025-11-28': true, '2025-12-05': false };
    for (const venueType of ['ATS', 'NON_ATS']) {
      expect(Object.fromEntries(late.filter((a) => a.venue_type === venueType).map((a) => [a.week_ending, a.published]))).toEqual(published);
    }
    const open = await pool.query(`SELECT key_2 AS venue_type, count(*)::int AS n FROM core_anomalies WHERE category = 'FRESHNESS' AND resolved_at IS NULL GROUP BY key_2 ORDER BY key_2`);
    // Per venue type: WARN for all four late weeks, CRITICAL for the three more than 7 days late (11-14, 11-21 and 11-28,
    // due 12-15, 12-22 and 12-29 at 09:00 New York; 12-05 was due 01-05, 33 h before NOW).
    expect(open.rows).toEqual([{ venue_type: 'ATS', n: 7 }, { venue_type: 'NON_ATS', n: 7 }]);
  });

  it('enqueues every missing week when FINRA cannot be asked, as without partitions', async () => {
    standIn.faults.set({ kind: '500' });
    try {
      const enqueuer = new RecordingEnqueuer();
      const result = await runTick({ pool, datasets, enqueuer, sinks: [], logger, revisionCheckHours: 24, publication: publicationOn({ baseUrl: standIn.url, now: () => NOW, baseDelayMs: 1, maxDelayMs: 5 }) }, NOW);
      expect(enqueuer.weeks()).toEqual(['ATS', 'NON_ATS'].flatMap((v) => ['2025-11-14', '2025-11-21', '2025-11-28', '2025-12-05'].map((w) => `OTC ${v} ${w}`)));
      expect(result.lag.map((l) => l.unpublished_weeks)).toEqual([null, null]);
    } finally {
      standIn.faults.clear();
    }
  });
});
