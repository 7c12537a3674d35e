import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { captureList } from '@spine/otc/research/capture-list';
import { capturesQuery, weekTierQuery } from '@spine/otc/research/request-schemas';
import { weekSnapshot } from '@spine/otc/research/week-snapshot';
import { weekVenues } from '@spine/otc/research/week-venues';
import { testPool, resetData } from '../support/database.ts';

const REAL_FILE = fileURLToPath(new URL('../../../shared/finra/finra_otc_weekly_otc_20251215.csv', import.meta.url));
const present = existsSync(REAL_FILE);
if (!present) console.warn(`skipping the real FINRA file research test: ${REAL_FILE} is absent (it lives in ../shared, beside the repo)`);

/** The file is the week ending 2025-12-12; every line's lastUpdateDate is 2025-12-15, the day FINRA published it. */
const WEEK = '2025-12-12';

describe.skipIf(!present)('research answers on the real FINRA OTC file (../shared/finra)', () => {
  const pool = testPool();
  beforeAll(async () => {
    await resetData(pool);
    await runWeek(pool, { tier: 'OTC', weekEnding: WEEK, file: REAL_FILE, maxRejectShare: 0.05 });
  });
  afterAll(() => pool.end());

  it('dates the capture by the file\'s lastUpdateDate and answers as of it, not the day before', async () => {
    const { data: captures } = await captureList(pool, capturesQuery.parse({}));
    expect(captures).toEqual([expect.objectContaining({ week_ending: WEEK, finra_last_update_date: '2025-12-15', published_on: '2025-12-15', accepted_rows: 5328 })]);
    const venues = await weekVenues(pool, WEEK, weekTierQuery.parse({ tier: 'OTC', as_of_published: '2025-12-15' }));
    expect(venues.data).toHaveLength(9);
    expect(Math.abs(venues.data.reduce((sum, v) => sum + v.market_share_pct, 0) - 100)).toBeLessThanOrEqual(0.01);
    expect(venues.provenance.captures.map((c) => c.capture_id)).toEqual([captures[0]!.capture_id]);
    expect((await weekVenues(pool, WEEK, weekTierQuery.parse({ tier: 'OTC', as_of_published: '2025-12-14' }))).data).toEqual([]);
  });

  it('pages through all 3,111 symbols of the week\'s snapshot, each once, with the totals of otc_symbol_summary', async () => {
    const symbols = new Map<string, number>();
    let token: string | undefined;
    do {
      const page = await weekSnapshot(pool, WEEK, weekTierQuery.parse({ tier: 'OTC', page_size: 1000, page_token: token }));
      for (const row of page.data) {
        expect(symbols.has(row.symbol), row.symbol).toBe(false);
        symbols.set(row.symbol, row.total_volume);
      }
      token = page.next_page_token ?? undefined;
    } while (token);
    expect(symbols.size).toBe(3111);
    const { rows } = await pool.query<{ symbol: string; total_volume: number }>('SELECT symbol, total_volume::float8 AS total_volume FROM otc_symbol_summary_latest');
    expect(new Map(rows.map((r) => [r.symbol, r.total_volume]))).toEqual(symbols);
  });
});
