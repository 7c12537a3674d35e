import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { runSpine, type SpineRun } from '../support/spine-cli.ts';

const PREFIX = `spine-test-publication-${process.pid}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dir = mkdtempSync(join(tmpdir(), 'spine-backfill-publication-'));
let standIn: FinraStandIn;

function spine(args: string[]): Promise<SpineRun> {
  return runSpine(args, { DATABASE_URL: testDatabaseUrl(), REDIS_URL, QUEUE_PREFIX: PREFIX, FINRA_BASE_URL: standIn.url, FINRA_MAX_ATTEMPTS: '1' });
}

describe('spine backfill --source finra and FINRA\'s partitions', () => {
  const pool = testPool();
  beforeAll(async () => {
    await resetData(pool);
    // Only the week ending 2025-11-28 is published; the stand-in and the client both go by today's date.
    await writeWeekFile(join(dir, 'OTC', '2025-11-28.psv'), { tier: 'OTC', weekEnding: '2025-11-28', rows: 10, seed: 5 });
    standIn = await startFinraStandIn({ fixturesDir: dir, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await pool.end();
  });

  it('refuses at once, exit 2, when FINRA has published none of the weeks, and enqueues nothing', async () => {
    const started = Date.now();
    const result = await spine(['backfill', '--tier', 'OTC', '--from', '2025-12-05', '--to', '2025-12-12', '--source', 'finra']);
    expect(result.code).toBe(2);
    // Both venue types of each week (the default --venue-type all): FINRA's partitions are per week and tier.
    expect(result.stderr).toMatch(/^error: FINRA has not published any of the 4 week\(s\) asked for \(OTC ATS 2025-12-05, OTC NON_ATS 2025-12-05, OTC ATS 2025-12-12, OTC NON_ATS 2025-12-12\): http:\/\/127\.0\.0\.1:\d+\/partitions\/group\/otcMarket\/name\/weeklySummary/);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(await count(pool, 'SELECT 1 FROM core_batches')).toBe(0);
  });

  it('enqueues the published weeks and names the others', async () => {
    const result = await spine(['backfill', '--tier', 'OTC', '--venue-type', 'ATS', '--from', '2025-11-28', '--to', '2025-12-05', '--source', 'finra']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('not published by FINRA yet, not enqueued: OTC ATS 2025-12-05');
    expect(result.stderr).toContain('enqueued 1 week(s)');
    const { rows } = await pool.query('SELECT weeks_total FROM core_batches');
    expect(rows).toEqual([{ weeks_total: 1 }]);
  });

  it('enqueues every week asked for, with a warning, when FINRA\'s partitions answer 404: unknown is not unpublished', async () => {
    standIn.faults.set({ kind: '404' }, { endpoint: 'partitions' });
    try {
      const result = await spine(['backfill', '--tier', 'OTC', '--venue-type', 'ATS', '--from', '2025-12-12', '--to', '2025-12-12', '--source', 'finra']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/warning: FINRA's partitions at http:\/\/127\.0\.0\.1:\d+\/partitions\/group\/otcMarket\/name\/weeklySummary could not be read .*every week asked for is enqueued/);
      expect(result.stderr).toContain('enqueued 1 week(s)');
    } finally {
      standIn.faults.clear();
    }
  });
});
