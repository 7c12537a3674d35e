import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';

const REAL_FILE = fileURLToPath(new URL('../../../shared/finra/finra_otc_weekly_otc_20251215.csv', import.meta.url));
const present = existsSync(REAL_FILE);
if (!present) console.warn(`skipping the real FINRA file test: ${REAL_FILE} is absent (it lives in ../shared, beside the repo)`);

describe.skipIf(!present)('the real FINRA OTC file (../shared/finra)', () => {
  const pool = testPool();
  beforeAll(() => resetData(pool));
  afterAll(() => pool.end());

  it('accounts for all 5,328 data lines and keeps every symbol total of the file', async () => {
    // lastUpdateDate is 2025-12-15 (a Monday): the publication date, so the file is the week ending 2025-12-12.
    const result = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-12', file: REAL_FILE, maxRejectShare: 0.05 });
    expect(result.status).toBe('completed');
    const raw = await count(pool, 'SELECT 1 FROM otc_raw');
    const rejects = await count(pool, 'SELECT 1 FROM core_rejects');
    expect(raw + rejects).toBe(5328);
    expect(await count(pool, 'SELECT DISTINCT symbol FROM otc_venue_volume')).toBe(3111);
    expect(await count(pool, 'SELECT DISTINCT mpid FROM otc_venue_volume')).toBe(9);

    const expected = new Map<string, bigint>();
    for (const line of readFileSync(REAL_FILE, 'utf8').trim().split('\n').slice(1)) {
      const f = line.split('|');
      expected.set(f[1]!, (expected.get(f[1]!) ?? 0n) + BigInt(f[5]!));
    }
    const { rows } = await pool.query<{ symbol: string; total_volume: string }>('SELECT symbol, total_volume FROM otc_symbol_summary');
    expect(rows).toHaveLength(expected.size);
    for (const r of rows) expect(BigInt(r.total_volume), r.symbol).toBe(expected.get(r.symbol));
    const shareSum = (await pool.query(`SELECT sum(market_share_pct) AS s FROM otc_venue_share`)).rows[0].s;
    expect(Math.abs(Number(shareSum) - 100)).toBeLessThanOrEqual(0.01);
    const quality = (await pool.query(`SELECT DISTINCT status FROM core_quality`)).rows;
    expect(quality).toEqual([{ status: 'PASS' }]);
  });
});
