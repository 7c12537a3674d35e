import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runWeek } from '@spine/otc';
import type { Pool } from '@spine/platform';

export const GOLDEN_DIR = fileURLToPath(new URL('../../fixtures/golden', import.meta.url));

export interface GoldenWeek {
  tier: string;
  weekEnding: string;
  file: string;
}

/** Every golden week file, oldest first, tiers in name order. */
export function goldenWeeks(): GoldenWeek[] {
  return readdirSync(GOLDEN_DIR)
    .sort()
    .flatMap((tier) => readdirSync(join(GOLDEN_DIR, tier)).filter((f) => f.endsWith('.psv')).map((f) => ({ tier, weekEnding: f.replace('.psv', ''), file: join(GOLDEN_DIR, tier, f) })))
    .sort((a, b) => a.weekEnding.localeCompare(b.weekEnding) || a.tier.localeCompare(b.tier));
}

/** The golden test relaxes the quality gate so small hand-made weeks with a reject still publish. */
export const GOLDEN_MAX_REJECT_SHARE = 0.5;

export async function loadGolden(pool: Pool, weeks: GoldenWeek[] = goldenWeeks(), force = false): Promise<void> {
  for (const w of weeks) await runWeek(pool, { ...w, maxRejectShare: GOLDEN_MAX_REJECT_SHARE, force });
}
