import { stageOrder, type CalcNode } from '@spine/platform/calc-graph';
import { CalcSpecMismatchError } from '@spine/platform/calcs/calc-registry';
import type { RawSource } from '@spine/platform/dataset/dataset-definition';
import type { StageDefinition } from '@spine/platform/stage-runner';
import { REGSHO_CODEC } from '../partition-codec.ts';
import { DAILY_VOLUME_CALC, ingestDailyFile } from './daily-ingest.ts';

/**
 * The calculations of the graph (core_calc_dependencies, domain regsho) that nothing runs: views computed when read
 * from the lines ingest stores, in the graph for what they read and the captures they cover.
 */
export const COMPUTED_WHEN_READ: ReadonlySet<string> = new Set(['regsho_symbol_daily', 'regsho_symbol_rolling_20d', 'regsho_symbol_week', 'research_symbol_week']);

/** Every disagreement between the graph and this code: a calculation it does not know, or one in a stage it does not run. */
export function regshoGraphProblems(graph: readonly CalcNode[]): string[] {
  const problems: string[] = [];
  for (const node of graph) {
    if (node.calcName !== DAILY_VOLUME_CALC && !COMPUTED_WHEN_READ.has(node.calcName)) problems.push(`${node.calcName}: in the graph, no code`);
    else if (node.stage !== 'ingest') problems.push(`${node.calcName}: in stage ${node.stage}, computed in ingest`);
  }
  if (!graph.some((n) => n.calcName === DAILY_VOLUME_CALC)) problems.push(`${DAILY_VOLUME_CALC}: in code, not in the graph`);
  return problems;
}

/**
 * The stages after fetch from the graph the database holds: ingest, which stores a facility's daily file under the
 * partition's advisory lock. A graph this code does not match is a deployment error (CalcSpecMismatchError).
 */
export function buildRegshoStages(graph: CalcNode[], options: { source?: RawSource; maxRejectShare: number }): StageDefinition[] {
  const problems = regshoGraphProblems(graph);
  if (problems.length > 0) throw new CalcSpecMismatchError(problems);
  const version = graph.find((n) => n.calcName === DAILY_VOLUME_CALC)!.calcVersion;
  return stageOrder(graph).map((name) => ({
    name,
    lockNames: (key) => [REGSHO_CODEC.lockName(key, 'partition')],
    run: (client, stage) => ingestDailyFile(client, stage, version, options),
  }));
}
