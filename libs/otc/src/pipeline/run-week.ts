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

/** ATS when the request names no venue type: a download file does not say which summary it holds. */
export type RunWeekRequest = RunFileRequest;

export interface RunWeekResult extends RunFileResult {
  tier: Tier;
  venueType: VenueType;
}

/** Validates a run request before anything is written; every problem is an InputError (exit code 2). */
export async function prepareWeekFile(req: Pick<RunWeekRequest, 'tier' | 'weekEnding' | 'file' | 'venueType'>): Promise<PreparedFile & { tier: Tier; venueType: VenueType }> {
  const tier = parseTier(req.tier);
  if (!tier) throw new InputError(`unknown tier "${req.tier}": use one of ${TIERS.join(', ')} (or NMS Tier 1, NMS Tier 2, T1, T2, OTCE)`);
  const venueType = parseVenueType(req.venueType ?? 'ATS');
  if (!venueType) throw new InputError(`unknown venue type "${req.venueType}": use ${VENUE_TYPES.join(' or ')}`);
  const weekProblem = weekEndingProblem(req.weekEnding);
  if (weekProblem) throw new InputError(weekProblem);
  const source = await localFileSource(req.file);
  if (!detectFormat(source.firstLine)) {
    throw new InputError(`${req.file} is not a FINRA OTC weekly file: its header is "${source.firstLine.slice(0, 80)}"`);
  }
  return { tier, venueType, source };
}

/** Every stage of one OTC week x tier x venue type in-process, as `spine run-week` runs it (runPartition). */
export async function runWeek(pool: Pool, req: RunWeekRequest): Promise<RunWeekResult> {
  return await runPartition(pool, otcDataset, req) as RunWeekResult;
}
