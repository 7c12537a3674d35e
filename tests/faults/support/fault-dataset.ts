import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { finraApiOptionsFromEnv, sourceAccess } from '@spine/finra-source';
import { openOtcSource } from '@spine/otc/source/otc-source';
import { runWeek, TIERS, type Tier } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic';
import type { Pool } from '@spine/platform';

/** Six weeks x three tiers: enough for full 6-week windows, small enough that a backfill takes seconds. */
export const FAULT_WEEKS = ['2025-10-31', '2025-11-07', '2025-11-14', '2025-11-21', '2025-11-28', '2025-12-05'] as const;
/**
 * Rows per week: large enough that each stage runs for tens of milliseconds (a kill can land inside it), small
 * enough for the 2-core budget.
 */
export const FAULT_ROWS = 4000;
export const FAULT_SEED = 20261201;
/** The synthetic weeks carry 1% injected rejects; the gate is relaxed so none of them is gated. */
export const FAULT_MAX_REJECT_SHARE = 0.5;

export interface WeekRef {
  tier: Tier;
  week_ending: string;
}

export const allWeeks = (weeks: readonly string[] = FAULT_WEEKS, tiers: readonly Tier[] = TIERS): WeekRef[] =>
  weeks.flatMap((week_ending) => tiers.map((tier) => ({ tier, week_ending })));

/** Writes the seeded synthetic weeks under `dir` in the source naming rule (`<TIER>/<week>.psv`). */
export async function writeFaultDataset(dir: string, weeks: WeekRef[] = allWeeks()): Promise<void> {
  for (const w of weeks) {
    await writeWeekFile(join(dir, w.tier, `${w.week_ending}.psv`), { tier: w.tier, weekEnding: w.week_ending, rows: FAULT_ROWS, seed: FAULT_SEED, rejectRate: 0.01 });
  }
}

/** The undisturbed reference: every week run in-process, oldest first, as `spine run-week` would. */
export async function loadReference(pool: Pool, dir: string, weeks: WeekRef[] = allWeeks()): Promise<void> {
  const ordered = [...weeks].sort((a, b) => a.week_ending.localeCompare(b.week_ending) || a.tier.localeCompare(b.tier));
  for (const w of ordered) {
    await runWeek(pool, { tier: w.tier, weekEnding: w.week_ending, file: join(dir, w.tier, `${w.week_ending}.psv`), maxRejectShare: FAULT_MAX_REJECT_SHARE });
  }
}

/**
 * The weeks as the FINRA client writes them (FINRA's sort order, its own header), fetched from a stand-in without
 * faults into `dir`: what a FINRA-sourced undisturbed run ingests, so its reference is `loadReference` of `dir`.
 * `env`: the FINRA_* settings (the stand-in's URLs).
 */
export async function fetchFinraWeeks(env: Record<string, string>, dir: string, weeks: WeekRef[] = allWeeks()): Promise<void> {
  const source = openOtcSource(sourceAccess('finra', { finraApi: finraApiOptionsFromEnv(env) }));
  for (const w of weeks) {
    const file = join(dir, w.tier, `${w.week_ending}.psv`);
    mkdirSync(dirname(file), { recursive: true });
    const { body } = await source.open({ key1: w.tier, periodEnd: w.week_ending, key2: 'ATS' });
    await pipeline(body, createWriteStream(file));
  }
}
