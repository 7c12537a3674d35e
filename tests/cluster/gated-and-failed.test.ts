import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSpine, type SpineChild } from '@spine/cli/spawn-spine';
import { batchProgress } from '@spine/orchestration';
import { FINRA_HEADER } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { testPool, resetData } from '../support/database.ts';
import { TestCluster } from '../support/cluster.ts';
import { runSpine, type SpineRun } from '../support/spine-cli.ts';

const ADMIN_PASSWORD = 'admin-password-gated';
const GOOD_WEEK = '2025-12-05';
const GATED_WEEK = '2025-12-12';
const pool = testPool();
const cluster = new TestCluster();
const dir = mkdtempSync(join(tmpdir(), 'spine-gated-'));
let dashboard: SpineChild;
let baseUrl = '';

const line = (symbol: string, shares: string) => `NMS Tier 1|${symbol}|Issue ${symbol}|Venue NITE|NITE|${shares}|3|2025-12-29`;

beforeAll(async () => {
  await writeWeekFile(join(dir, 'NMS_TIER_1', `${GOOD_WEEK}.psv`), { tier: 'NMS_TIER_1', weekEnding: GOOD_WEEK, rows: 40, seed: 11 });
  // 3 of 6 lines rejected (50%, far over the default 5%): two PARSE_ERROR, one NEGATIVE_VOLUME.
  mkdirSync(join(dir, 'NMS_TIER_1'), { recursive: true });
  writeFileSync(join(dir, 'NMS_TIER_1', `${GATED_WEEK}.psv`),
    `${FINRA_HEADER}\n${[line('AAA', '100'), line('BBB', '200'), line('CCC', '300'), 'broken|line', 'also|broken', line('NEG', '-1')].join('\n')}\n`);
  // No OTC files at all: an OTC week's fetch fails.
  await cluster.start({ SOURCE_DIR_ALLOWLIST: dir, FETCH_ATTEMPTS: '1', DASHBOARD_ADMIN_PASSWORD: ADMIN_PASSWORD });
  await cluster.spawnWorker();
  dashboard = await spawnSpine(['dashboard', '--port', '0'], { ...process.env, ...cluster.env }, { startedMessage: 'dashboard started' });
  baseUrl = /"url":"(http:[^"]+)"/.exec(dashboard.output())![1]!;
});
afterAll(async () => {
  await dashboard?.stop();
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
  await pool.end();
});
beforeEach(() => resetData(pool));

/** The CLI with the cluster's settings; the gate comes from the default (QUALITY_MAX_REJECT_SHARE unset). */
function spine(args: string[]): Promise<SpineRun> {
  return runSpine(args, cluster.env, ['QUALITY_MAX_REJECT_SHARE']);
}

async function board(path: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}/queues/api${path}`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}` } });
  expect(res.status, path).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

describe('a gated week through the worker cluster', () => {
  it('backfill --wait exits 3 naming the week and its reject reasons; batch, status and Bull Board agree', async () => {
    const result = await spine(['backfill', '--tier', 'NMS_TIER_1', '--venue-type', 'ATS', '--from', GOOD_WEEK, '--to', GATED_WEEK, '--source', `dir:${dir}`, '--wait']);
    expect(result.code, result.stderr).toBe(3);
    const batchId = result.stdout.split('\n')[0]!;
    expect(batchId).toMatch(/^backfill-/);
    const capture = (await pool.query(`SELECT capture_id FROM core_captures WHERE period_end = $1`, [GATED_WEEK])).rows[0].capture_id;
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('gated:'))).toEqual([
      `gated: NMS_TIER_1 ATS ${GATED_WEEK}: 3 rejects (PARSE_ERROR 2, NEGATIVE_VOLUME 1); see spine status and core_rejects for capture ${capture}`,
    ]);

    // The batch counts one week done and one gated: not every week published, so it closes partial, not failed.
    const queues = cluster.queues(pool);
    const progress = await batchProgress(pool, batchId, queues);
    await queues.close();
    expect(progress).toMatchObject({ weeks_total: 2, weeks_done: 1, weeks_gated: 1, weeks_failed: 0, ended: true });
    const batch = (await pool.query(`SELECT status FROM core_batches WHERE batch_id = $1`, [batchId])).rows;
    expect(batch).toEqual([{ status: 'partial' }]);

    // spine status: the gated week stops at ingest, its 3 accepted rows counted; nothing after it ran.
    const status = JSON.parse((await spine(['status', '--json', '--tier', 'NMS_TIER_1'])).stdout) as { week_ending: string; stages: Record<string, { status: string; row_count: number }> }[];
    const gated = status.find((c) => c.week_ending === GATED_WEEK)!;
    expect(gated.stages).toEqual({ ingest: expect.objectContaining({ status: 'gated', row_count: 3 }) });
    expect(status.find((c) => c.week_ending === GOOD_WEEK)!.stages.snapshot?.status).toBe('completed');

    // Bull Board: the gated week's jobs completed (a gate is no job failure), the ingest job returning gated.
    const ingest = await board(`/queues/stage/otc-NMS_TIER_1-${GATED_WEEK}-ingest`);
    expect(ingest.status).toBe('completed');
    expect((ingest.job as { returnValue: unknown }).returnValue).toMatchObject({ gated: true, capture_id: capture });
    const aggregate = await board(`/queues/stage/otc-NMS_TIER_1-${GATED_WEEK}-aggregate`);
    expect(aggregate.status).toBe('completed');
    expect((aggregate.job as { returnValue: unknown }).returnValue).toMatchObject({ gated: true });
    const failed = await board(`/queues?activeQueue=stage&status=failed&page=1`);
    const stageQueue = (failed.queues as { name: string; counts: Record<string, number> }[]).find((q) => q.name === 'stage')!;
    expect(stageQueue.counts.failed).toBe(0);

    // The operator accepts the week's rejects for this backfill alone: forced with a gate of its own, it loads.
    const overridden = await spine(['backfill', '--tier', 'NMS_TIER_1', '--venue-type', 'ATS', '--from', GATED_WEEK, '--to', GATED_WEEK, '--source', `dir:${dir}`,
      '--force', '--max-reject-share', '0.5', '--wait']);
    expect(overridden.code, overridden.stderr).toBe(0);
    const overriddenBatch = (await pool.query(`SELECT status, params->>'max_reject_share' AS gate FROM core_batches WHERE batch_id = $1`, [overridden.stdout.split('\n')[0]])).rows;
    expect(overriddenBatch).toEqual([{ status: 'completed', gate: '0.5' }]);
    const refused = await spine(['backfill', '--tier', 'NMS_TIER_1', '--from', GATED_WEEK, '--to', GATED_WEEK, '--max-reject-share', '2']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--max-reject-share must be a number from 0 to 1, got "2"');
  });
});

describe('a failed week through the worker cluster', () => {
  it('backfill --wait exits 1 and names the week and stage that failed', async () => {
    const result = await spine(['backfill', '--tier', 'OTC', '--venue-type', 'ATS', '--from', GATED_WEEK, '--to', GATED_WEEK, '--source', `dir:${dir}`, '--wait']);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^failed: OTC ATS ${GATED_WEEK} at fetch: `, 'm'));
    const batchId = result.stdout.split('\n')[0]!;
    const batch = (await pool.query(`SELECT status FROM core_batches WHERE batch_id = $1`, [batchId])).rows[0];
    expect(batch.status).not.toBe('completed');
  });
});
