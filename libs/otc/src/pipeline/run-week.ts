// The modules themselves, not the package's index, which loads the S3 client and the migration runner: a week run from
// the command line needs neither.
import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { runPartition } from '@spine/platform/partition-run';
import type { PreparedFile, RunFileRequest, RunFileResult } from '@spine/platform/dataset/dataset-definition';
import { localFileSource } from '@spine/platform/sources/local-file';
import { weekEndingProblem } from '@spine/platform/time/week-ending';
import { detectFormat } from '../file-format.ts';
import { parseTier, TIERS, type Tier } from '../tiers.ts';
import { parseVenueType, VENUE_TYPES, type VenueType } from '../venue-types.ts';
import { otcDataset } from '../dataset.ts';

/** One OTC week's file to run, under OTC's names; ATS when it names no venue type: a download file does not say which summary it holds. */
export type RunWeekRequest = Omit<RunFileRequest, 'key1' | 'key2' | 'periodEnd'> & { tier: string; venueType?: string; weekEnding: string };

export type RunWeekResult = Omit<RunFileResult, 'key1' | 'key2' | 'periodEnd'> & { tier: Tier; venueType: VenueType; weekEnding: string };

/** Validates a run request before anything is written; every problem is an InputError (exit code 2). */
export async function prepareWeekFile(req: Pick<RunFileRequest, 'key1' | 'key2' | 'periodEnd' | 'file'>): Promise<PreparedFile & { key1: Tier; key2: VenueType }> {
  const tier = parseTier(req.key1);
  if (!tier) throw new InputError(`unknown tier "${req.key1}": use one of ${TIERS.join(', ')} (or NMS Tier 1, NMS Tier 2, T1, T2, OTCE)`);
  const venueType = parseVenueType(req.key2 ?? 'ATS');
  if (!venueType) throw new InputError(`unknown venue type "${req.key2}": use ${VENUE_TYPES.join(' or ')}`);
  const weekProblem = weekEndingProblem(req.periodEnd);
  if (weekProblem) throw new InputError(weekProblem);
  const source = await localFileSource(req.file);
  if (!detectFormat(source.firstLine)) {
    throw new InputError(`${req.file} is not a FINRA OTC weekly file: its header is "${source.firstLine.slice(0, 80)}"`);
  }
  return { key1: tier, key2: venueType, source };
}

/** Every stage of one OTC week x tier x venue type in-process, as `spine run-week` runs it (runPartition). */
export async function runWeek(pool: Pool, req: RunWeekRequest): Promise<RunWeekResult> {
  const { tier, venueType, weekEnding, ...rest } = req;
  const { key1, key2, periodEnd, ...result } = await runPartition(pool, otcDataset, { ...rest, key1: tier, key2: venueType, periodEnd: weekEnding });
  return { ...result, tier: key1 as Tier, venueType: key2 as VenueType, weekEnding: periodEnd };
}
