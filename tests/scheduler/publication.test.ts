import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-source';
import { writeWeekFile } from '@spine/otc/synthetic/week-generator';
import { sourcePublication } from '@spine/orchestration';
import { loadSchedules, runTick, updateSchedule, type Enqueuer, type EnqueueWeeks } from '@spine/scheduling';
import { testPool, resetData } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';

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
    return this.requests.flatMap((r) => r.weeks.map((w) => `${w.tier} ${w.week_ending}`)).sort();
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

describe('the scheduler and FINRA\'s partitions', () => {
  const publication = () => sourcePublication({ baseUrl: standIn.url, now: () => NOW });

  it('enqueues the missing weeks FINRA lists, and tells the unpublished ones apart', async () => {
    const enqueuer = new RecordingEnqueuer();
    const result = await runTick({ pool, enqueuer, sinks: [], logger, revisionCheckHours: 24, publication: publication() }, NOW);
    expect(enqueuer.weeks()).toEqual(['OTC 2025-11-21', 'OTC 2025-11-28']);
    const [lag] = result.lag;
    expect(lag).toMatchObject({ tier: 'OTC', missing_weeks: ['2025-12-05', '2025-11-28', '2025-11-21', '2025-11-14'], unpublished_weeks: ['2025-12-05', '2025-11-14'] });
    expect(standIn.requests().map((r) => r.path)).toEqual(['/partitions/group/otcMarket/name/weeklySummary']);

    const { rows } = await pool.query(`SELECT to_char(week_ending, 'YYYY-MM-DD') AS week, detail->'finra_published' AS published FROM core_data_readiness WHERE tier = 'OTC' ORDER BY week_ending`);
    expect(rows).toEqual([
      { week: '2025-11-14', published: false }, { week: '2025-11-21', published: true }, { week: '2025-11-28', published: true }, { week: '2025-12-05', published: false },
    ]);
    // The late weeks' alerts say whose delay it is.
    const late = result.alerts.filter((a) => a.change === 'opened');
    expect(Object.fromEntries(late.map((a) => [a.week_ending, a.published]))).toEqual({ '2025-11-14': false, '2025-11-21': true, '2025-11-28': true, '2025-12-05': false });
  });

  it('enqueues every missing week when FINRA cannot be asked, as without partitions', async () => {
    standIn.faults.set({ kind: '500' });
    try {
      const enqueuer = new RecordingEnqueuer();
      const result = await runTick({ pool, enqueuer, sinks: [], logger, revisionCheckHours: 24, publication: sourcePublication({ baseUrl: standIn.url, now: () => NOW, baseDelayMs: 1, maxDelayMs: 5 }) }, NOW);
      expect(enqueuer.weeks()).toEqual(['OTC 2025-11-14', 'OTC 2025-11-21', 'OTC 2025-11-28', 'OTC 2025-12-05']);
      expect(result.lag[0]?.unpublished_weeks).toBeNull();
    } finally {
      standIn.faults.clear();
    }
  });
});
