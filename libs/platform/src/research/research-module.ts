import type { z } from 'zod';
import type { Pool } from '../db/pool.ts';
import { endpointTableProblem, type Endpoint } from './research-endpoint.ts';
import type { ExportTarget } from './export-targets.ts';

/**
 * A dataset's part of the research API and of `spine export`, which its definition loads on demand
 * (DatasetDefinition.research): the dashboard, the OpenAPI document, `spine query` and `spine export` reach it through
 * the registry only.
 */
export interface ResearchModule {
  /** Its questions of /api/v1. */
  readonly endpoints: readonly Endpoint[];
  /**
   * Where its paths are: under /datasets/<name>/ (`own`, the default), or at the API's root (`root`): the first
   * dataset's questions, which /api/v1 served there before datasets had paths of their own, so clients keep them.
   * Only the registry's first dataset may say `root`.
   */
  readonly paths?: 'own' | 'root';
  /** What `spine export --dataset <name>` writes; a dataset without one has nothing to export. */
  readonly export?: DatasetExport;
}

/** What an export wrote, for the command's summary line. */
export interface ExportSummary {
  rows: number;
  files: number;
  captures: number;
}

export interface ExportProgress {
  files: number;
  totalFiles: number;
  rows: number;
}

/** The request every export takes beside its own fields: where its files go (a directory or s3://bucket/prefix). */
export interface ExportRequestBase {
  out: string;
}

/**
 * A dataset's export: the schema of `spine export`'s options (the fields as the request names them: `as_of_published`
 * for --as-of-published; `dataset` and `out` included) and the exporter, which writes into `target`.
 */
export interface DatasetExport {
  readonly request: z.ZodType<ExportRequestBase>;
  run(pool: Pool, request: ExportRequestBase, target: ExportTarget, onProgress: (progress: ExportProgress) => void): Promise<ExportSummary>;
}

/** An export whose exporter takes the request as its schema outputs it (checked here, erased in the module). */
export function datasetExport<R extends ExportRequestBase>(definition: {
  request: z.ZodType<R>;
  run(pool: Pool, request: R, target: ExportTarget, onProgress: (progress: ExportProgress) => void): Promise<ExportSummary>;
}): DatasetExport {
  return definition as unknown as DatasetExport;
}

/**
 * What /api/v1 serves: every dataset's endpoints, loaded from each definition on demand, in the registry's order. A
 * dataset's paths are its own, under /datasets/<name>/, but for the first's when it declares them at the root. Throws
 * when the union breaks endpointTableProblem's rules (a programming error).
 */
export async function researchEndpoints(definitions: readonly { name: string; research?(): Promise<ResearchModule> }[]): Promise<Endpoint[]> {
  const all: Endpoint[] = [];
  for (const [index, definition] of definitions.entries()) {
    const module = await definition.research?.();
    if (!module) continue;
    if (module.paths === 'root' && index > 0) {
      throw new Error(`dataset ${definition.name} puts its paths at the API's root: only the first dataset's are there`);
    }
    for (const e of module.endpoints) {
      if (module.paths !== 'root' && !e.path.startsWith(`/datasets/${definition.name}/`)) {
        throw new Error(`dataset ${definition.name}'s endpoint ${e.operationId} is at ${e.path}: a dataset's paths start /datasets/${definition.name}/`);
      }
      all.push(e);
    }
  }
  const problem = endpointTableProblem(all);
  if (problem) throw new Error(`the research API's endpoints: ${problem}`);
  return all;
}
