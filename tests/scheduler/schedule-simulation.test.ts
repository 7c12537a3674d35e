import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { addWeeks, WEEK_PERIODS } from '@spine/platform';
import { runWeek, TIERS } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { expectedAt, loadSchedules, LogSink, ManualClock, runTick, updateSchedule, WebhookSink, type AlertTransition, type QualityAlert, type Schedule } from '@spine/scheduling';
import { testPool, resetData } from '../support/database.ts';
import { saveSchedules } from '../support/schedules.ts';
import { startWebhookReceiver, type WebhookPost, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { InProcessEnqueuer } from './in-process-enqueuer.ts';
import { datasets } from '@spine/datasets';

const pool = testPool();
const dir = mkdtempSync(join(tmpdir(), 'spine-sim-'));
const logger = pino({ level: 'silent' });
const FIRST = '2025-09-05';
const WEEKS = 10;
const LOOKBACK = 3;
// Files for every week any tier looks at during the run: Tier 2 and OTC publish two weeks after Tier 1, so their
// look-back reaches two weeks further back at the start, and Tier 1 has a few more weeks due by the end.
const weeks = Array.from({ length: LOOKBACK + 2 + WEEKS + 3 }, (_, i) => addWeeks(FIRST, i - LOOKBACK - 2));
const WITHHELD = { tier: 'OTC', week: addWeeks(FIRST, 4) };
const WITHHELD_HOURS = 200;

let receiver: WebhookReceiver;
let hooks: WebhookPost[] = [];
let hookUrl = '';
let schedules: Schedule[] = [];
let restoreSchedules = async () => {};

beforeAll(async () => {
  for (const tier of TIERS) for (const week of weeks) await writeWeekFile(join(dir, tier, `${week}.psv`), { tier, weekEnding: week, rows: 30, seed: 7 });
  receiver = await startWebhookReceiver();
  hooks = receiver.received;
  hookUrl = receiver.url;
});
afterAll(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
  await pool.end();
});
beforeEach(async () => {
  await resetData(pool);
  hooks.length = 0;
  restoreSchedules = await saveSchedules(pool);
  for (const s of await loadSchedules(pool, { includeDisabled: true })) {
    // These simulations are about the calendar, one series per tier: the ATS schedules; venue types are tested apart.
    await updateSchedule(pool, s.schedule_id, { lookback_weeks: LOOKBACK, revision_lookback_weeks: 0, enabled: s.venue_type === 'ATS' });
  }
  schedules = await loadSchedules(pool);
});

afterEach(() => restoreSchedules());

function published(now: () => Date) {
  return (tier: string, week: string) => {
    const schedule = schedules.find((s) => s.tier === tier)!;
    const extra = tier === WITHHELD.tier && week === WITHHELD.week ? WITHHELD_HOURS : 0;
    return now().getTime() >= expectedAt(schedule, WEEK_PERIODS, week).getTime() + extra * 3_600_000;
  };
}

describe('scheduler driven by an injected clock', () => {
  it('simulates 10 weeks x 3 tiers with one week withheld: exact enqueues, WARN then CRITICAL, one webhook call per change, resolution', async () => {
    const first = schedules.find((s) => s.tier === 'NMS_TIER_1')!;
    // The system starts caught up: the weeks before the simulated ten are already loaded.
    for (const tier of TIERS) {
      for (const week of weeks.filter((w) => w < FIRST)) await runWeek(pool, { tier, weekEnding: week, file: join(dir, tier, `${week}.psv`), maxRejectShare: 0.05 });
    }
    const start = new Date(expectedAt(first, WEEK_PERIODS, FIRST).getTime() - 3_600_000);
    const clock = new ManualClock(start);
    const enqueuer = new InProcessEnqueuer(pool, dir, published(() => clock.now()));
    const deps = { pool, datasets, enqueuer, logger, revisionCheckHours: 24, sinks: [new LogSink(logger), new WebhookSink(hookUrl, { minTimeoutMs: 10 })] };
    const alerts: AlertTransition[] = [];
    const qualityAlerts: QualityAlert[] = [];
    const last = schedules.find((s) => s.tier === 'OTC')!;
    const end = expectedAt(last, WEEK_PERIODS, addWeeks(FIRST, WEEKS - 1)).getTime() + 12 * 3_600_000;
    while (clock.now().getTime() <= end) {
      const result = await runTick(deps, clock.now());
      alerts.push(...result.alerts);
      qualityAlerts.push(...result.quality_alerts);
      clock.advanceHours(12);
    }

    // Every week that became due was enqueued exactly once, the withheld one included. Worked out by hand: the run
    // ends 12 h after OTC's 2025-11-07 is due (Mon 2025-12-08 09:00 New York); by then Tier 1 (published 2 weeks
    // after the week, not 4) has also had 2025-11-14 (due 12-01) and 2025-11-21 (due 12-08 09:00), not 2025-11-28.
    const tenWeeks = ['2025-09-05', '2025-09-12', '2025-09-19', '2025-09-26', '2025-10-03', '2025-10-10', '2025-10-17', '2025-10-24', '2025-10-31', '2025-11-07'];
    const expected = [
      ...[...tenWeeks, '2025-11-14', '2025-11-21'].map((w) => `NMS_TIER_1 ${w}`),
      ...tenWeeks.map((w) => `NMS_TIER_2 ${w}`),
      ...tenWeeks.map((w) => `OTC ${w}`),
    ];
    expect([...enqueuer.accepted].sort()).toEqual(expected.sort());
    expect(new Set(enqueuer.accepted).size).toBe(enqueuer.accepted.length);

    // Alerts for the withheld week alone: WARN past 24 h, CRITICAL past 7 days, resolved once its data arrived.
    expect(alerts.map((a) => `${a.change} ${a.severity} ${a.tier} ${a.week_ending}`)).toEqual([
      `opened WARN OTC ${WITHHELD.week}`, `escalated CRITICAL OTC ${WITHHELD.week}`, `resolved CRITICAL OTC ${WITHHELD.week}`,
    ]);
    const [opened, escalated] = alerts;
    expect(opened!.lag_hours).toBeGreaterThan(24);
    expect(opened!.lag_hours).toBeLessThanOrEqual(36);
    expect(escalated!.lag_hours).toBeGreaterThan(168);
    const freshnessHooks = hooks.filter((h) => !('check' in h.alert));
    expect(freshnessHooks.map((h) => `${h.alert.change} ${h.alert.severity}`)).toEqual(['opened WARN', 'escalated CRITICAL', 'resolved CRITICAL']);
    expect(freshnessHooks[0]!.text).toContain(`OTC ATS week ending ${WITHHELD.week}`);
    // The synthetic weeks' tier volumes swing: each swing a quality check warned about reached the webhook once, as
    // the tick it was first seen in reported it, over every tick that saw it again.
    expect(qualityAlerts.length).toBeGreaterThan(0);
    expect(qualityAlerts.every((a) => a.change === 'opened' && a.check === 'tier_volume_swing')).toBe(true);
    expect(hooks.filter((h) => 'check' in h.alert).map((h) => h.alert)).toEqual(qualityAlerts.map((a) =>
      ({ ...a, dataset: 'otc', publisher: 'FINRA', subject: `FINRA OTC ${a.tier} ${a.venue_type} week ending ${a.week_ending}` })));
    const { rows: openQuality } = await pool.query(`SELECT key_1 AS tier, to_char(period_end, 'YYYY-MM-DD') AS week_ending FROM core_anomalies WHERE category = 'QUALITY' AND resolved_at IS NULL ORDER BY 1, 2`);
    expect(openQuality).toEqual(qualityAlerts.map((a) => ({ tier: a.tier, week_ending: a.week_ending })).sort((a, b) => `${a.tier} ${a.week_ending}`.localeCompare(`${b.tier} ${b.week_ending}`)));
    const open = await pool.query(`SELECT count(*)::int AS n FROM core_anomalies WHERE category = 'FRESHNESS' AND resolved_at IS NULL`);
    expect(open.rows[0].n).toBe(0);
    const readiness = await pool.query(`SELECT DISTINCT status FROM core_data_readiness`);
    expect(readiness.rows).toEqual([{ status: 'ready' }]);
  });

  it('catches up after 3 weeks of downtime, bounded by lookback_weeks, and a repeated tick changes nothing', async () => {
    const tier1 = schedules.find((s) => s.tier === 'NMS_TIER_1')!;
    const clock = new ManualClock(new Date(expectedAt(tier1, WEEK_PERIODS, addWeeks(FIRST, 2)).getTime() + 3_600_000));
    const enqueuer = new InProcessEnqueuer(pool, dir, published(() => clock.now()));
    const deps = { pool, datasets, enqueuer, logger, revisionCheckHours: 24, sinks: [] };
    await runTick(deps, clock.now());
    const before = enqueuer.accepted.length;

    clock.advanceHours(21 * 24);
    const catchUp = await runTick(deps, clock.now());
    const caughtUp = catchUp.enqueued.map((e) => `${e.tier} ${e.week_ending}`);
    expect(caughtUp.filter((e) => e.startsWith('NMS_TIER_1 '))).toEqual(
      [addWeeks(FIRST, 5), addWeeks(FIRST, 4), addWeeks(FIRST, 3)].map((w) => `NMS_TIER_1 ${w}`),
    );
    expect(enqueuer.accepted.length - before).toBe(caughtUp.length);
    expect(catchUp.enqueued.every((e) => e.reason === 'missing')).toBe(true);

    const again = await runTick(deps, clock.now());
    expect(again.enqueued).toEqual([]);
    const dry = await runTick(deps, clock.now(), { dryRun: true });
    expect(dry.enqueued).toEqual([]);
  });

  it('leaves a gated week alone: no re-run of the same content, no freshness alert, readiness gated', async () => {
    const tier1 = schedules.find((s) => s.tier === 'NMS_TIER_1')!;
    const week = addWeeks(FIRST, 2);
    const bad = join(dir, 'gated.psv');
    await writeWeekFile(bad, { tier: 'NMS_TIER_1', weekEnding: week, rows: 40, seed: 9, rejectRate: 0.5 });
    const gated = await runWeek(pool, { tier: 'NMS_TIER_1', weekEnding: week, file: bad, maxRejectShare: 0.05 });
    expect(gated.status).toBe('gated');
    const clock = new ManualClock(new Date(expectedAt(tier1, WEEK_PERIODS, week).getTime() + 48 * 3_600_000));
    const enqueuer = new InProcessEnqueuer(pool, dir, () => false);
    const result = await runTick({ pool, datasets, enqueuer, logger, revisionCheckHours: 24, sinks: [] }, clock.now());
    expect(result.enqueued.filter((e) => e.tier === 'NMS_TIER_1' && e.week_ending === week)).toEqual([]);
    expect(result.alerts.filter((a) => a.week_ending === week)).toEqual([]);
    const readiness = await pool.query(`SELECT status FROM core_data_readiness WHERE key_1 = 'NMS_TIER_1' AND period_end = $1`, [week]);
    expect(readiness.rows).toEqual([{ status: 'gated' }]);
  });
});
