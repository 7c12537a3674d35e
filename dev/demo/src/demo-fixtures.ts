import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { parseTier, type Tier } from '@spine/otc/tiers';
import { parseVenueType } from '@spine/otc/venue-types';

/** The seeds of the demo's ATS weeks (and of every week's symbols) and of its non-ATS figures. */
export const ATS_SEED = 6110;
const NON_ATS_SEED = 6610;

/** Realistic relative sizes of the tiers, scaled down so the demo runs in seconds. */
export const DEMO_ROWS: Record<Tier, number> = { NMS_TIER_1: 4000, NMS_TIER_2: 6000, OTC: 1500 };

/**
 * Synthetic FINRA weeks for the stand-in to serve, one file per week x tier x venue type under the naming rule
 * (`<dir>/<TIER>/<week_ending>.psv`, `<dir>/<TIER>/NON_ATS/<week_ending>.psv`). Deterministic (seeded), so a second
 * demo run finds the same content and its stages are skipped as already done.
 */
export async function ensureDemoFixtures(dir: string, weeks: { tier: string; venue_type: string; week_ending: string }[]): Promise<void> {
  for (const week of weeks) {
    const { week_ending } = week;
    const tier = parseTier(week.tier);
    const venue_type = parseVenueType(week.venue_type);
    if (!tier || !venue_type) throw new Error(`no synthetic OTC week for tier ${week.tier} and venue type ${week.venue_type}`);
    const path = venue_type === 'NON_ATS' ? join(dir, tier, 'NON_ATS', `${week_ending}.psv`) : join(dir, tier, `${week_ending}.psv`);
    if (existsSync(path)) continue;
    // Non-ATS volume is another set of trades in the same symbols: another seed for its figures, the ATS week's
    // symbols (symbolSeed), so each symbol has both venue types and its ATS share is defined.
    const seed = venue_type === 'NON_ATS' ? NON_ATS_SEED : ATS_SEED;
    await writeWeekFile(path, { tier, weekEnding: week_ending, rows: DEMO_ROWS[tier], seed, symbolSeed: ATS_SEED, rejectRate: 0.002, venueType: venue_type });
  }
}
