import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeWeekFile } from '@spine/otc/synthetic/week-generator';
import type { Tier } from '@spine/otc';

/** Realistic relative sizes of the tiers, scaled down so the demo runs in seconds. */
export const DEMO_ROWS: Record<Tier, number> = { NMS_TIER_1: 4000, NMS_TIER_2: 6000, OTC: 1500 };

/**
 * Synthetic FINRA weeks for the stand-in to serve, one file per week x tier in `<dir>/<TIER>/<week_ending>.psv`.
 * Deterministic (seeded), so a second demo run finds the same content and its stages are skipped as already done.
 */
export async function ensureDemoFixtures(dir: string, weeks: { tier: Tier; week_ending: string }[]): Promise<void> {
  for (const { tier, week_ending } of weeks) {
    const path = join(dir, tier, `${week_ending}.psv`);
    if (existsSync(path)) continue;
    await writeWeekFile(path, { tier, weekEnding: week_ending, rows: DEMO_ROWS[tier], seed: 6110, rejectRate: 0.002 });
  }
}
