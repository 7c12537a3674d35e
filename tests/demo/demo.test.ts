import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { TestCluster } from '../support/cluster.ts';
import { runDemo, type SpineRun } from '../support/spine-cli.ts';

const pool = testPool();
let cluster: TestCluster;
let stackDir = '';

// Each test gets a cluster (this run's database, an S3 server and bucket of its own, a queue prefix) and a stack
// directory of its own; the demo starts its own workers, stand-in and dashboard on top, as `npm run demo` does.
beforeEach(async () => {
  cluster = new TestCluster();
  await cluster.start();
  stackDir = mkdtempSync(join(tmpdir(), 'spine-demo-stack-'));
  await resetData(pool);
});
afterEach(async () => {
  await cluster.stop();
  rmSync(stackDir, { recursive: true, force: true });
});
afterAll(() => pool.end());

/** `npm run demo -- --once` with no admin password set (the demo makes one up) and the default quality gate. */
function demo(): Promise<SpineRun> {
  return runDemo(['--once'], { ...cluster.env, SPINE_STACK_DIR: stackDir, DASHBOARD_PORT: '0' }, ['DASHBOARD_ADMIN_PASSWORD', 'QUALITY_MAX_REJECT_SHARE']);
}

// 36 partitions end to end through two workers take about 20 s on the reference machine; a loaded CI machine, longer.
const DEMO_TIMEOUT_MS = 180_000;

describe('npm run demo (dev/demo)', () => {
  it('--once backfills 6 weeks x 3 tiers x both venue types through two workers, prints the summary and exits 0', async () => {
    const result = await demo();
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.find((l) => l.startsWith('batch demo-'))).toMatch(/^batch demo-\S+: 36\/36 weeks complete, \d+ rows, \d+ rejects, [\d.]+ s /);
    for (const tier of ['NMS_TIER_1', 'NMS_TIER_2', 'OTC']) {
      for (const venueType of ['ATS', 'NON_ATS']) {
        expect(lines.filter((l) => new RegExp(`│ ${tier}\\s*│ ${venueType}\\s*│ completed`).test(l)), `${tier} ${venueType}`).toHaveLength(6);
      }
    }
    expect(result.stdout).toMatch(/^lineage: npx spine lineage demo-/m);
    // The dashboard stopped with --once: no address or made-up password that would point at nothing.
    expect(result.stdout).toMatch(/^dashboard: stopped with the demo; run `npm run demo` on a terminal/m);
    expect(result.stdout).not.toMatch(/password/);
    const batchId = /^batch (demo-\S+):/m.exec(result.stdout)![1]!;
    expect(await count(pool, `SELECT 1 FROM core_executions WHERE batch_id = $1 AND stage = 'week' AND status = 'completed'`, [batchId])).toBe(36);
    // Both venue types met: every tier's weeks have an ATS share.
    expect(await count(pool, `SELECT DISTINCT tier, week_ending FROM otc_symbol_ats_share`)).toBe(18);
    // A week's ATS and non-ATS files trade the same symbols, so the research join has ATS shares beside short volume.
    const [, joined, withShare] = /regsho batch \S+: 116\/116 .* (\d+) beside OTC's ATS volume, (\d+) with its ATS share/.exec(result.stdout)!.map(Number);
    expect(withShare).toBeGreaterThan(0);
    expect(withShare).toBeLessThanOrEqual(joined!);
    expect(withShare).toBe(await count(pool, 'SELECT 1 FROM research_symbol_week_latest WHERE ats_share_pct IS NOT NULL'));
    expect(await count(pool, `SELECT DISTINCT worker FROM core_executions WHERE batch_id = $1 AND stage = 'fetch'`, [batchId])).toBe(2);
  }, DEMO_TIMEOUT_MS);

  it('exits 1 when a week does not complete (here one the quality gate stops)', async () => {
    // The demo writes only the fixtures that are missing: this one, written first, has half its lines rejected.
    await writeWeekFile(join(stackDir, 'demo-fixtures', 'OTC', '2025-12-12.psv'), { tier: 'OTC', weekEnding: '2025-12-12', rows: 200, seed: 5, rejectRate: 0.5 });
    const result = await demo();
    expect(result.code, result.stderr.slice(-3000)).toBe(1);
    expect(result.stdout).toMatch(/^batch demo-\S+: 35\/36 weeks complete/m);
    expect(result.stdout).toMatch(/2025-12-12\s*│\s*OTC\s*│\s*ATS\s*│\s*gated/);
  }, DEMO_TIMEOUT_MS);
});
