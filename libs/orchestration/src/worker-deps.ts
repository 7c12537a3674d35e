import type { CalcNode, Logger, Pool, RawStore } from '@spine/platform';
import type { FinraSource } from '@spine/finra-source';
import type { Counter, Histogram } from 'prom-client';

/** What the job processors need; built once per worker process. */
export interface WorkerDeps {
  pool: Pool;
  rawStore: RawStore;
  graph: CalcNode[];
  openSource: (spec: string) => FinraSource;
  logger: Logger;
  metrics?: { stageSeconds: Histogram<'stage'>; stageRows: Counter<'stage'> };
}
