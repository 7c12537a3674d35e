import { join } from 'node:path';
import type { Pool } from '@spine/platform';
import { runWeek, TIERS, type VenueType } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';

/**
 * Generated weeks, oldest first, each tier and venue type, loaded in-process with runWeek (one generated universe, so
 * symbols recur from week to week); with `reviseEvery`, every so many weeks of NMS Tier 1 ATS get a second capture.
 */
export async function loadGeneratedHistory(pool: Pool, dir: string, options: { weeks: readonly string[]; rows: number; venueTypes: readonly VenueType[]; reviseEvery?: number }): Promise<void> {
  const started = performance.now();
  for (const [i, week] of options.weeks.entries()) {
    for (const tier of TIERS) {
      for (const venueType of options.venueTypes) {
        const file = join(dir, `${tier}-${venueType}.psv`);
        await writeWeekFile(file, { tier, weekEnding: week, rows: options.rows, seed: 20251205, venueType });
        await runWeek(pool, { tier, weekEnding: week, venueType, file, maxRejectShare: 1 });
        if (options.reviseEvery && tier === 'NMS_TIER_1' && venueType === 'ATS' && i % options.reviseEvery === 0) {
          await writeWeekFile(file, { tier, weekEnding: week, rows: options.rows, seed: 7_000_000 + i, venueType });
          await runWeek(pool, { tier, weekEnding: week, venueType, file, maxRejectShare: 1 });
        }
      }
    }
    if (i % 13 === 12) console.log(`  loaded ${i + 1} of ${options.weeks.length} weeks (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  await pool.query('ANALYZE');
}
