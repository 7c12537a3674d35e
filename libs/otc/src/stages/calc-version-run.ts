import { loadCalcGraph } from '@spine/platform/calc-graph';
import { registeredVersion } from '@spine/platform/calcs/calc-registry';
import { recordRowCountCheck } from '@spine/platform/calcs/row-count-check';
import { withTransaction, type Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { createBatch, finishBatch } from '@spine/platform/lineage/batches';
import { finishExecution, startExecution } from '@spine/platform/lineage/executions';
import type { PartitionKey } from '@spine/platform/manifest';
import type { CalcVersionRun, CalcVersionRunRequest } from '@spine/platform/calcs/dataset-calculations';
import { DOMAIN, PIPELINE } from '../calcs/calc.ts';
import { expectedRowCount } from '../calcs/expected-rows.ts';
import { OTC_CODEC } from '../partition-codec.ts';
import { OTC_CALCULATIONS } from './otc-calculations.ts';

/**
 * Runs a major version that is not current over captures already loaded (nothing is fetched or ingested again):
 * every capture of the weeks the current version has run on (all revisions, so the version can be promoted), each
 * in its own transaction under its partition's stage lock, with its lineage kept beside the current version's and
 * its row count checked. One `manual` batch with an execution per capture.
 */
export async function runCalcVersion(pool: Pool, req: CalcVersionRunRequest): Promise<CalcVersionRun> {
  const node = (await loadCalcGraph(pool, DOMAIN)).find((n) => n.calcName === req.calcName);
  const version = registeredVersion(OTC_CALCULATIONS, req.calcName, req.major);
  if (!node || !version) throw new InputError(`${req.calcName} has no version ${req.major} (spine calcs list shows the calculations and their versions)`);
  if (node.calcVersion === req.major) {
    throw new InputError(`${req.calcName} v${req.major} is current: the pipeline computes it (spine backfill --force re-runs weeks)`);
  }
  const { rows: captures } = await pool.query<{ capture_id: string; week_ending: string; tier: string; venue_type: string }>(
    `SELECT c.capture_id, c.period_end::text AS week_ending, c.key_1 AS tier, c.key_2 AS venue_type
       FROM core_calc_lineage g JOIN core_captures c USING (capture_key)
      WHERE g.calc_name = $1 AND c.domain = $2 AND c.period_end = ANY($3::date[])
        AND ($4::text IS NULL OR c.key_1 = $4) AND ($5::text IS NULL OR c.key_2 = $5)
      ORDER BY c.period_end, c.key_1, c.key_2, c.revision`,
    [req.calcName, DOMAIN, req.weeks, req.key1 ?? null, req.key2 ?? null]);
  if (captures.length === 0) throw new InputError(`${req.calcName} has not run on any capture of ${req.weeks.join(', ')}: load the weeks first`);
  // weeks_total counts weeks the pipeline runs through its stages: none here (the batch's report lists each capture's run).
  const batchId = await createBatch(pool, {
    kind: 'manual', domain: DOMAIN, weeksTotal: 0, requestedBy: req.requestedBy,
    params: { calc_name: req.calcName, calc_version: req.major, weeks: req.weeks, tier: req.key1 ?? null, venue_type: req.key2 ?? null },
  });
  const results: CalcVersionRun['captures'] = [];
  try {
    for (const capture of captures) {
      const key: PartitionKey = { domain: DOMAIN, periodEnd: capture.week_ending, key1: capture.tier, key2: capture.venue_type, captureId: capture.capture_id };
      const execution = await startExecution(pool, {
        batchId, pipeline: PIPELINE, stage: `calc:${req.calcName}:v${req.major}`, periodEnd: key.periodEnd, key1: key.key1, key2: key.key2,
        captureId: key.captureId,
      });
      try {
        const outcome = await withTransaction(pool, async (client) => {
          await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [OTC_CODEC.lockName(key, 'partition')]);
          const capturedAt = (await client.query<{ now: Date }>('SELECT now()')).rows[0]!.now.toISOString();
          const ctx = {
            client, stage: { ...execution, key, capturedAt, force: true }, calcName: req.calcName, calcVersion: req.major, sideBySide: true,
            options: { maxRejectShare: 1 },
          };
          const result = await version.run(ctx);
          const expected = await expectedRowCount(ctx, version.spec);
          const rowCheck = expected === null ? null
            : await recordRowCountCheck(client, { captureId: key.captureId, spec: version.spec, expected, executionId: execution.executionId });
          await finishExecution(client, execution.executionId, { status: 'completed', metrics: { rows: result.rows, row_check: rowCheck } });
          return { rows: result.rows, row_check: rowCheck };
        });
        results.push({ ...capture, ...outcome });
      } catch (error) {
        await finishExecution(pool, execution.executionId, { status: 'failed', error: error instanceof Error ? error.message : String(error) });
        throw error;
      }
    }
  } catch (error) {
    await finishBatch(pool, batchId, 'failed', `${req.calcName} v${req.major} failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
  await finishBatch(pool, batchId, 'completed');
  return { batch_id: batchId, calc_name: req.calcName, calc_version: req.major, captures: results };
}
