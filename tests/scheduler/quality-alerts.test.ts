import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { otcDataset, runWeek } from '@spine/otc';
import {
  applyQualityTransitions, loadSchedules, LogSink, RECORDS_BELOW_AVERAGE, runTick, updateSchedule, WebhookSink, type Enqueuer, type QualityAlert,
} from '@spine/scheduling';
import { resetData, testPool } from '../support/database.ts';
import { GOLDEN_DIR, GOLDEN_MAX_REJECT_SHARE, loadGolden } from '../support/golden.ts';
import { saveSchedules } from '../support/schedules.ts';
import { startWebhookReceiver, type WebhookPost, type WebhookReceiver } from '../support/webhook-receiver.ts';
import { datasets } from '@spine/datasets';

const pool = testPool();
const logger = pino({ level: 'silent' });
const dir = mkdtempSync(join(tmpdir(), 'spine-quality-alerts-'));
/** Every golden week of every tier is due (OTC and Tier 2 weeks ending 2025-12-05 fell due that morning). */
const NOW = new Date('2026-01-05T15:00:00Z');
/** A week later: OTC 2025-12-12 is due as well. */
const NEXT_WEEK = new Date('2026-01-12T15:00:00Z');

/** Enqueues nothing: these tests are about what is loaded. */
const enqueuer: Enqueuer = { enqueue: async () => ({ batch_id: null, enqueued: [], in_flight: [] }) };
let receiver: WebhookReceiver;
let hooks: WebhookPost[] = [];
let deps: Parameters<typeof runTick>[0];
let restoreSchedules = async () => {};

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  hooks = receiver.received;
  deps = { pool, datasets, enqueuer, logger, revisionCheckHours: 24, sinks: [new LogSink(logger), new WebhookSink(receiver.url, { minTimeoutMs: 10 })] };
  restoreSchedules = await saveSchedules(pool);
  for (const s of await loadSchedules(pool, { includeDisabled: true })) {
    await updateSchedule(pool, s.schedule_id, { lookback_weeks: 6, revision_lookback_weeks: 0, enabled: s.venue_type === 'ATS' });
  }
});
afterAll(async () => {
  await restoreSchedules();
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
  await pool.end();
});
beforeEach(async () => {
  await resetData(pool);
  await loadGolden(pool);
  hooks.length = 0;
});

const qualityHooks = () => hooks.filter((h) => 'check' in h.alert).map((h) => h.alert as QualityAlert);
const label = (a: QualityAlert) => `${a.change} ${a.severity} ${a.tier} ${a.week_ending} ${a.check}`;

/** OTC 2025-12-12 made of the first `lines` data lines of 2025-12-05, published (lastUpdateDate) 2026-01-12. */
function otcWeek(lines: number, name: string): string {
  const [header, ...data] = readFileSync(join(GOLDEN_DIR, 'OTC', '2025-12-05.psv'), 'utf8').trim().split('\n');
  const file = join(dir, name);
  writeFileSync(file, `${[header, ...data.slice(0, lines).map((l) => l.replace('2026-01-05', '2026-01-12'))].join('\n')}\n`);
  return file;
}

describe('quality anomalies reach the alert sinks', () => {
  it('sends each check a due week did not pass to the webhook once, however many ticks and replicas see it', async () => {
    // Two replicas' ticks at once, then another: the three warnings of the golden weeks, each notified once.
    const [a, b] = await Promise.all([runTick(deps, NOW), runTick(deps, NOW)]);
    const again = await runTick(deps, NOW);
    const expected = [
      'opened WARN NMS_TIER_2 2025-11-14 venue_count_drop',
      'opened WARN OTC 2025-11-28 tier_volume_swing',
      'opened WARN OTC 2025-12-05 tier_volume_swing',
    ];
    expect([...a.quality_alerts, ...b.quality_alerts].map(label).sort()).toEqual(expected);
    expect(again.quality_alerts).toEqual([]);
    expect(qualityHooks().map(label).sort()).toEqual(expected);
    expect(hooks.map((h) => h.text)).toContain('[WARN] opened: FINRA OTC NMS_TIER_2 ATS week ending 2025-11-14: venue_count_drop: venue count fell from 4 to 3 (25.0%)');
    const { rows } = await pool.query(`SELECT key_1 AS tier, to_char(period_end, 'YYYY-MM-DD') AS week, severity, detail->>'check' AS check_name, message FROM core_anomalies
                                        WHERE category = 'QUALITY' AND resolved_at IS NULL ORDER BY 1, 2`);
    expect(rows).toEqual([
      { tier: 'NMS_TIER_2', week: '2025-11-14', severity: 'WARN', check_name: 'venue_count_drop', message: 'NMS_TIER_2 ATS 2025-11-14: venue_count_drop: venue count fell from 4 to 3 (25.0%)' },
      { tier: 'OTC', week: '2025-11-28', severity: 'WARN', check_name: 'tier_volume_swing', message: 'OTC ATS 2025-11-28: tier_volume_swing: tier volume moved -58.2% week over week' },
      { tier: 'OTC', week: '2025-12-05', severity: 'WARN', check_name: 'tier_volume_swing', message: 'OTC ATS 2025-12-05: tier_volume_swing: tier volume moved 140.0% week over week' },
    ]);
  });

  it('records a change once: the same transition written again (another replica\'s) takes no effect', async () => {
    const opened: QualityAlert = { change: 'opened', tier: 'OTC', venue_type: 'ATS', week_ending: '2025-11-28', check: 'tier_volume_swing', severity: 'WARN', message: 'moved' };
    expect(await applyQualityTransitions(pool, otcDataset, [opened])).toEqual([opened]);
    expect(await applyQualityTransitions(pool, otcDataset, [opened])).toEqual([]);
    const resolved = { ...opened, change: 'resolved' as const };
    expect(await applyQualityTransitions(pool, otcDataset, [resolved])).toEqual([resolved]);
    expect(await applyQualityTransitions(pool, otcDataset, [resolved])).toEqual([]);
  });

  it('warns of a week with fewer than half the records of the weeks before it, and resolves once a revision brings them back', async () => {
    await runTick(deps, NOW);
    hooks.length = 0;
    // One line where the six weeks before had 4 to 6 accepted: the week, its venues and its volume all dropped.
    expect((await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-12', file: otcWeek(1, 'thin.psv'), maxRejectShare: GOLDEN_MAX_REJECT_SHARE })).status).toBe('completed');
    const thin = await runTick(deps, NEXT_WEEK);
    const opened = thin.quality_alerts.filter((a) => a.week_ending === '2025-12-12');
    expect(opened.map(label).sort()).toEqual([
      `opened WARN OTC 2025-12-12 ${RECORDS_BELOW_AVERAGE}`,
      'opened WARN OTC 2025-12-12 tier_volume_swing',
      'opened WARN OTC 2025-12-12 venue_count_drop',
    ]);
    const records = opened.find((a) => a.check === RECORDS_BELOW_AVERAGE)!;
    // The six weeks before, 2025-10-31 .. 2025-12-05, accepted 29 lines between them.
    const { rows: before } = await pool.query(`SELECT sum(row_count)::int AS lines, count(*)::int AS weeks FROM core_manifest
                                                WHERE key_1 = 'OTC' AND stage = 'ingest' AND period_end BETWEEN '2025-10-31' AND '2025-12-05'`);
    expect(before[0]).toEqual({ lines: 29, weeks: 6 });
    expect(records.message).toBe('1 records, 20.7% of the 6-week average 4.8');
    expect(qualityHooks().map(label).sort()).toEqual(opened.map(label).sort());

    // FINRA revises the week with every line: a new capture whose figures are normal again.
    hooks.length = 0;
    expect((await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-12', file: otcWeek(6, 'full.psv'), maxRejectShare: GOLDEN_MAX_REJECT_SHARE })).status).toBe('completed');
    const revised = await runTick(deps, NEXT_WEEK);
    expect(revised.quality_alerts.filter((a) => a.week_ending === '2025-12-12').map(label).sort()).toEqual([
      `resolved WARN OTC 2025-12-12 ${RECORDS_BELOW_AVERAGE}`,
      'resolved WARN OTC 2025-12-12 tier_volume_swing',
      'resolved WARN OTC 2025-12-12 venue_count_drop',
    ]);
    expect(hooks.map((h) => h.text)).toContain(`[WARN] resolved: FINRA OTC OTC ATS week ending 2025-12-12: ${RECORDS_BELOW_AVERAGE}: no longer found in the current capture; alert resolved`);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM core_anomalies WHERE category = 'QUALITY' AND period_end = '2025-12-12' AND resolved_at IS NULL`);
    expect(rows[0].n).toBe(0);
  });

  it('writes and sends nothing on a dry run, while reporting what would change', async () => {
    const dry = await runTick(deps, NOW, { dryRun: true });
    expect(dry.quality_alerts).toHaveLength(3);
    expect(hooks).toEqual([]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM core_anomalies WHERE category = 'QUALITY'`);
    expect(rows[0].n).toBe(0);
  });
});
