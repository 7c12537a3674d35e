import type { CalcNode, DatasetDefinition, DatasetRegistry, Logger, Pool, RawStore, SourceCatalog, StageTimeouts } from '@spine/platform';
import type { Counter, Histogram } from 'prom-client';

/** What the job processors need; built once per worker process. */
export interface WorkerDeps {
  pool: Pool;
  rawStore: RawStore;
  datasets: DatasetRegistry;
  /** Each dataset's calculation graph as the database holds it, by dataset name. */
  graphs: ReadonlyMap<string, CalcNode[]>;
  /**
   * What a job's source spec reaches, within this process's allow-lists; its dataset's definition opens the partition
   * on it. A source's failures are classified by its verdict.
   */
  sources: SourceCatalog;
  logger: Logger;
  metrics?: WorkerMetrics;
  /** Unset, jobs run without a deadline and stages with the connection's limits. */
  limits?: JobLimits;
}

/** The worker's Prometheus metrics the processors update (apps/worker registers them). */
export interface WorkerMetrics {
  stageSeconds: Histogram<'dataset' | 'stage'>;
  stageRows: Counter<'dataset' | 'stage'>;
  /** Labelled by partitionLabels. */
  weeksIngested: Counter;
  duplicateRecords: Counter;
  validationFailures: Counter<'dataset' | 'check' | 'status'>;
}

export interface JobLimits {
  /** A job (or, in a window job, one week's windows) is aborted and failed past this. */
  deadlineMs: number;
  stage: StageTimeouts;
}

/** The dataset's calculation graph this worker loaded at start-up. */
export function graphOf(deps: Pick<WorkerDeps, 'graphs'>, dataset: DatasetDefinition): CalcNode[] {
  const graph = deps.graphs.get(dataset.name);
  if (!graph) throw new Error(`no calculation graph loaded for dataset ${dataset.name}`);
  return graph;
}
