import { loadCalcGraph, type CalcNode } from '../calc-graph.ts';
import type { Pool, Queryable } from '../db/pool.ts';
import type { WirePartition } from '../dataset/wire-partition.ts';
import { syncCalcSpecs, type SpecSync } from './calc-catalog.ts';
import { CalcSpecMismatchError, registeredSpecs, type CalcRegistry } from './calc-registry.ts';
import type { RowCountCheck } from './row-count-check.ts';

export interface CalcVersionRunRequest {
  calcName: string;
  major: number;
  /** The periods (week_ending) whose captures it runs on. */
  weeks: string[];
  key1?: string;
  key2?: string;
  requestedBy?: string;
}

export interface CalcVersionRun {
  batch_id: string;
  calc_name: string;
  calc_version: number;
  captures: (WirePartition & { capture_id: string; rows: number; row_check: RowCountCheck | null })[];
}

/** A dataset's calculations as `spine calcs` and start-up see them (DatasetDefinition.loadCalculations). */
export interface DatasetCalculations {
  /** Each calculation's spec and code, per major version. */
  readonly registry: CalcRegistry<unknown>;
  /** Every disagreement between the specs and the graph the database holds (registryProblems and the dataset's own checks). */
  problems(graph: readonly CalcNode[]): string[];
  /** Runs a major version that is not current over the captures already loaded, side by side (`spine calcs run`). */
  runVersion(pool: Pool, request: CalcVersionRunRequest): Promise<CalcVersionRun>;
}

/**
 * Start-up's check and sync for one dataset: its specs are checked against the database's graph
 * (CalcSpecMismatchError on any disagreement) and copied into core_calc_versions, where the dashboard and
 * `spine calcs` read them.
 */
export async function syncDatasetCalculations(db: Queryable, dataset: string, calculations: DatasetCalculations): Promise<SpecSync> {
  const problems = calculations.problems(await loadCalcGraph(db, dataset));
  if (problems.length > 0) throw new CalcSpecMismatchError(problems);
  return syncCalcSpecs(db, dataset, registeredSpecs(calculations.registry));
}
