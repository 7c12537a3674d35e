import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
// The modules themselves, not the package's index, which loads the S3 client and the migration runner: a week run from
// the command line needs neither.
import { loadCalcGraph } from '@spine/platform/calc-graph';
import { resolveCapture } from '@spine/platform/captures';
import { withAdvisoryLock } from '@spine/platform/db/advisory-lock';
import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { sha256File } from '@spine/platform/hashing';
import { createBatch, finishBatch } from '@spine/platform/lineage/batches';
import { finishExecution, startExecution } from '@spine/platform/lineage/executions';
import { setReadiness } from '@spine/platform/readiness';
import { runStage, type StageRun } from '@spine/platform/stage-runner';
import type { RunFileRequest, RunFileResult } from '@spine/platform/dataset/dataset-definition';
import { weekEndingProblem } from '@spine/platform/time/week-ending';
import { detectFormat, readFirstLine } from '../file-format.ts';
import { parseTier, TIERS, type Tier } from '../tiers.ts';
import { parseVenueType, VENUE_TYPES, type VenueType } from '../venue-types.ts';
import { DOMAIN, PIPELINE, type WeekSource } from '../calcs/calc.ts';
import { buildOtcStages } from '../stages/otc-stages.ts';
import { OTC_CODEC } from '../partition-codec.ts';

/** ATS when the request names no venue type: a download file does not say which summary it holds. */
export type RunWeekRequest = RunFileRequest;

export interface RunWeekResult extends RunFileResult {
  tier: Tier;
  venueType: VenueType;
}

/** Validates a run request before anything is written; every problem is an InputError (exit code 2). */
export async function prepareWeekFile(req: Pick<RunWeekRequest, 'tier' | 'weekEnding' | 'file' | 'venueType'>): Promise<{ tier: Tier; venueType: VenueType; source: WeekSource }> {
  const tier = parseTier(req.tier);
  if (!tier) throw new InputError(`unknown tier "${req.tier}": use one of ${TIERS.join(', ')} (or NMS Tier 1, NMS Tier 2, T1, T2, OTCE)`);
  const venueType = parseVenueType(req.venueType ?? 'ATS');
  if (!venueType) throw new InputError(`unknown venue type "${req.venueType}": use ${VENUE_TYPES.join(' or ')}`);
  const weekProblem = weekEndingProblem(req.weekEnding);
  if (weekProblem) throw new InputError(weekProblem);
  try {
    await access(req.file, constants.R_OK);
  } catch {
    throw new InputError(`cannot read file ${req.file}: it does not exist or is not readable`);
  }
  if (!(await stat(req.file)).isFile()) throw new InputError(`${req.file} is not a regular file`);
  const header = await readFirstLine(req.file);
  const format = detectFormat(header);
  if (!format) {
    throw new InputError(`${req.file} is not a FINRA OTC weekly file: its header is "${header.slice(0, 80)}"`);
  }
  return { tier, venueType, source: { uri: `file://${req.file}`, format, open: () => createReadStream(req.file) } };
}

/**
 * Runs every stage of one week x tier in-process, in the order of the calculation graph, under the partition's
 * advisory lock. Completed stages of the same capture are skipped unless forced; a quality gate stops the chain.
 */
export async function runWeek(pool: Pool, req: RunWeekRequest): Promise<RunWeekResult> {
  const started = performance.now();
  const { tier, venueType, source } = await prepareWeekFile(req);
  const { sha256 } = await sha256File(req.file);
  const stages = buildOtcStages(await loadCalcGraph(pool, DOMAIN), { maxRejectShare: req.maxRejectShare, source, groupMemoryBytes: req.groupMemoryBytes });
  const batchId = await createBatch(pool, { kind: 'manual', domain: DOMAIN, weeksTotal: 1, params: { tier, venue_type: venueType, week_ending: req.weekEnding, file: req.file, force: !!req.force } });
  const root = await startExecution(pool, { batchId, pipeline: PIPELINE, stage: 'week', weekEnding: req.weekEnding, tier, venueType });
  try {
    const result = await withAdvisoryLock(pool, `run:${DOMAIN}:${tier}:${venueType}:${req.weekEnding}`, async () => {
      const partition = { domain: DOMAIN, weekEnding: req.weekEnding, tier, venueType };
      const capture = await resolveCapture(pool, { ...partition, idPrefix: OTC_CODEC.captureIdPrefix(partition), sha256, sourceUri: source.uri, executionId: root.executionId, batchId });
      const key = { domain: DOMAIN, weekEnding: req.weekEnding, tier, venueType, captureId: capture.captureId };
      await setReadiness(pool, { ...key, status: 'in_progress', captureId: capture.captureId });
      const runs: StageRun[] = [];
      for (const stage of stages) {
        const run = await runStage(pool, { key, stage, pipeline: PIPELINE, batchId, parent: root, force: !!req.force, logger: req.logger });
        runs.push(run);
        if (run.status === 'gated') break;
      }
      const gated = runs.some((r) => r.status === 'gated');
      await setReadiness(pool, { ...key, status: gated ? 'gated' : 'ready', captureId: capture.captureId, detail: { batch_id: batchId } });
      return { capture, runs, status: gated ? ('gated' as const) : ('completed' as const) };
    });
    const durationMs = Math.round(performance.now() - started);
    await finishExecution(pool, root.executionId, { status: result.status, captureId: result.capture.captureId, metrics: { duration_ms: durationMs } });
    await finishBatch(pool, batchId, result.status === 'completed' ? 'completed' : 'failed');
    return {
      batchId, executionId: root.executionId, tier, venueType, weekEnding: req.weekEnding, captureId: result.capture.captureId,
      revision: result.capture.revision, status: result.status, stages: result.runs, durationMs,
    };
  } catch (error) {
    await finishExecution(pool, root.executionId, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
    await finishBatch(pool, batchId, 'failed');
    await setReadiness(pool, { domain: DOMAIN, weekEnding: req.weekEnding, tier, venueType, status: 'failed', detail: { batch_id: batchId } });
    throw error;
  }
}
