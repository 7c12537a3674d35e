import { stageOrder, topologicalOrder, type CalcNode } from '@spine/platform/calc-graph';
import { CalcSpecMismatchError, registeredVersion } from '@spine/platform/calcs/calc-registry';
import { recordRowCountCheck } from '@spine/platform/calcs/row-count-check';
import type { PoolClient } from '@spine/platform/db/pool';
import type { StageDefinition } from '@spine/platform/stage-runner';
import { DOMAIN, type CalcResult, type PipelineOptions } from '../calcs/calc.ts';
import { expectedRowCount } from '../calcs/expected-rows.ts';
import { OTC_CODEC } from '../partition-codec.ts';
import { OTC_CALCULATIONS, otcCalculationProblems } from './otc-calculations.ts';
import { WINDOW_STAGES } from './stage-chain.ts';

/**
 * The current major version of each of these calculations, read when the stage runs rather than from the graph the
 * process started with: a version promoted while a worker runs is the one its next stage computes.
 */
async function currentVersions(client: PoolClient, names: string[]): Promise<Map<string, number>> {
  const { rows } = await client.query<{ calc_name: string; calc_version: number }>(
    'SELECT calc_name, calc_version FROM core_calc_dependencies WHERE domain = $1 AND calc_name = ANY($2)', [DOMAIN, names]);
  return new Map(rows.map((r) => [r.calc_name, r.calc_version]));
}

/**
 * Builds the week's stages from the calculation graph: stages in the order the graph implies, each running the
 * current version of its calculations in dependency order within one transaction, then checking each one's expected
 * row count on the capture (core_calc_row_checks). Specs that disagree with the graph are a deployment error and
 * fail loudly (CalcSpecMismatchError).
 */
export function buildOtcStages(graph: CalcNode[], options: PipelineOptions): StageDefinition[] {
  const problems = otcCalculationProblems(graph);
  if (problems.length > 0) throw new CalcSpecMismatchError(problems);
  const ordered = topologicalOrder(graph);
  return stageOrder(graph).map((stageName) => {
    const calcs = ordered.filter((n) => n.stage === stageName);
    return {
      name: stageName,
      lockNames: WINDOW_STAGES.has(stageName)
        ? (key) => [OTC_CODEC.lockName(key, 'series'), OTC_CODEC.lockName(key, 'partition')]
        : (key) => [OTC_CODEC.lockName(key, 'partition')],
      async run(client, stage) {
        let rowCount = 0;
        const metrics: Record<string, unknown> = {};
        const earlier: Record<string, CalcResult> = {};
        const versions = await currentVersions(client, calcs.map((c) => c.calcName));
        for (const calc of calcs) {
          const calcVersion = versions.get(calc.calcName) ?? calc.calcVersion;
          const version = registeredVersion(OTC_CALCULATIONS, calc.calcName, calcVersion);
          if (!version) throw new CalcSpecMismatchError([`${calc.calcName}: the graph's current version ${calcVersion} has no spec`]);
          const started = performance.now();
          const ctx = { client, stage, calcName: calc.calcName, calcVersion, sideBySide: false, options, earlier };
          const result = await version.run(ctx);
          earlier[calc.calcName] = result;
          rowCount += result.rows;
          metrics[calc.calcName] = { rows: result.rows, ms: Math.round(performance.now() - started), ...result.metrics };
          if (result.gated) return { status: 'gated', rowCount, metrics };
          const expected = await expectedRowCount(ctx, version.spec);
          if (expected !== null) {
            const check = await recordRowCountCheck(client, { captureId: stage.key.captureId, spec: version.spec, expected, executionId: stage.executionId });
            if (check.status === 'FAIL') stage.logger?.warn({ ...check, capture_id: stage.key.captureId }, 'row count check failed');
          }
        }
        return { status: 'completed', rowCount, metrics };
      },
    } satisfies StageDefinition;
  });
}
