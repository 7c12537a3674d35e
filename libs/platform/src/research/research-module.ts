import type { z } from 'zod';
import type { Pool } from '../db/pool.ts';
import { endpointTableProblem, type Endpoint } from './research-endpoint.ts';
import type { ExportTarget } from './export-targets.ts';
import type { ResearchRoute } from './research-pages.ts';

/**
 * A dataset's part of the research API, the dashboard's research pages and `spine export`, which its definition loads
 * on demand (DatasetDefinition.research): the dashboard, the OpenAPI document, `spine query` and `spine export` reach
 * it through the registry only.
 */
export interface ResearchModule {
  /** Its questions of /api/v1. */
  readonly endpoints: readonly Endpoint[];
  /**
   * Where its paths are: its own, /api/v1/datasets/<name>/ and /research/datasets/<name>/ (`own`, the default), or
   * the root, /api/v1/ and /research (`root`): the first dataset's, served there before datasets had paths of their
   * own, so clients and bookmarks keep them. Only the registry's first dataset may say `root`.
   */
  readonly paths?: 'own' | 'root';
  /** What `spine export --dataset <name>` writes; a dataset without one has nothing to export. */
  readonly export?: DatasetExport;
  /** Its pages of the dashboard's research area (research-pages.ts). */
  readonly pages?: readonly ResearchRoute[];
  /** What the data is, in a sentence, for the API's list of datasets (its title and publisher otherwise). */
  readonly description?: string;
  /** The publisher's terms, which every answer's provenance carries: the list of datasets says them too. */
  readonly attribution?: string;
}

/** What an export wrote, for the command's summary line. */
export interface ExportSummary {
  rows: number;
  files: number;
  captures: number;
}

/** How far an export is: the files written of all it will write, and the rows so far. */
export interface ExportProgress {
  files: number;
  totalFiles: number;
  rows: number;
}

/** A file an export wrote, as its manifest lists it beside the dataset's own fields (its partition, its captures). */
export interface ExportedFileBase {
  /** Relative to the output directory or prefix, `/`-separated. */
  path: string;
  table: string;
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * What every export's manifest.json holds beside the dataset's own fields (the filters its request took): the
 * tables, range and format asked for, when, each file, and where the rows came from (its answers' provenance).
 */
export interface ExportManifestBase<File extends ExportedFileBase, Provenance extends { captures: readonly unknown[] }> {
  dataset: string;
  format: 'parquet' | 'csv';
  tables: string[];
  from: string;
  to: string;
  exported_at: string;
  rows: number;
  files: File[];
  provenance: Provenance;
}

/** The command's summary of an export from its manifest. */
export const summaryOf = (manifest: ExportManifestBase<ExportedFileBase, { captures: readonly unknown[] }>): ExportSummary =>
  ({ rows: manifest.rows, files: manifest.files.length, captures: manifest.provenance.captures.length });

/** The request every export takes beside its own fields: where its files go (a directory or s3://bucket/prefix). */
export interface ExportRequestBase {
  out: string;
}

/**
 * A dataset's export: the schema of `spine export`'s options but --dataset (the fields as the request names them:
 * `as_of_published` for --as-of-published; `out` included) and the exporter, which writes into `target`.
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

/** A definition that may bring research: what the registry's definitions are to this module. */
type WithResearch = { name: string; research?(): Promise<ResearchModule> };

/**
 * Each definition's research module, in the registry's order, with the prefix its paths start with under `root` (the
 * API's `/`, the dashboard's `/research`): the first dataset's root itself when it puts its paths there, else
 * `<root>datasets/<name>/`. Throws when another than the first claims the root (a programming error).
 */
async function placedModules(definitions: readonly WithResearch[], root: string): Promise<{ name: string; module: ResearchModule; prefix: string }[]> {
  const placed = [];
  for (const [index, definition] of definitions.entries()) {
    const module = await definition.research?.();
    if (!module) continue;
    if (module.paths === 'root' && index > 0) {
      throw new Error(`dataset ${definition.name} puts its paths at the API's root: only the first dataset's are there`);
    }
    placed.push({ name: definition.name, module, prefix: module.paths === 'root' ? root : `${root}datasets/${definition.name}/` });
  }
  return placed;
}

/**
 * The dashboard's research pages: every dataset's routes, in the registry's order, each under its own prefix
 * (/research/datasets/<name>/) but for the first's, at /research, when it puts its paths at the root. Throws on a
 * route outside its place or a path twice (a programming error).
 */
export async function researchRoutes(definitions: readonly WithResearch[]): Promise<ResearchRoute[]> {
  const all: ResearchRoute[] = [];
  for (const { name, module, prefix } of await placedModules(definitions, '/research/')) {
    for (const route of module.pages ?? []) {
      if (route.path !== prefix.slice(0, -1) && !route.path.startsWith(prefix)) throw new Error(`dataset ${name}'s research page ${route.path} is outside ${prefix}`);
      if (all.some((r) => r.path === route.path)) throw new Error(`two research pages have the path ${route.path}`);
      all.push(route);
    }
  }
  return all;
}

/** A dataset's entrance to the research area: its page at its own place (/research for the first's at the root). */
export interface ResearchLanding {
  title: string;
  path: string;
}

/** The entrances of the datasets whose research pages have one, in the registry's order, for the area's navigation. */
export async function researchLandings(definitions: readonly (WithResearch & { title: string })[]): Promise<ResearchLanding[]> {
  const landings: ResearchLanding[] = [];
  for (const { name, module, prefix } of await placedModules(definitions, '/research/')) {
    const path = prefix.slice(0, -1);
    if (module.pages?.some((route) => route.kind === 'page' && route.path === path)) landings.push({ title: definitions.find((d) => d.name === name)!.title, path });
  }
  return landings;
}

/**
 * Each dataset's research module, loaded from its definition on demand, in the registry's order (datasets without research
 * left out). A dataset's paths are its own, under /datasets/<name>/, but for the first's when it declares them at the
 * root. Throws on an endpoint outside its place (a programming error).
 */
export async function endpointsByDataset(definitions: readonly WithResearch[]): Promise<{ name: string; module: ResearchModule }[]> {
  const byDataset = [];
  for (const { name, module, prefix } of await placedModules(definitions, '/')) {
    for (const e of module.endpoints) {
      if (!e.path.startsWith(prefix)) {
        throw new Error(`dataset ${name}'s endpoint ${e.operationId} is at ${e.path}: a dataset's paths start ${prefix}`);
      }
    }
    byDataset.push({ name, module });
  }
  return byDataset;
}

/**
 * Every dataset's endpoints (endpointsByDataset), in the registry's order. Throws when the union breaks
 * endpointTableProblem's rules (a programming error).
 */
export async function researchEndpoints(definitions: readonly WithResearch[]): Promise<Endpoint[]> {
  const all = (await endpointsByDataset(definitions)).flatMap((d) => d.module.endpoints);
  const problem = endpointTableProblem(all);
  if (problem) throw new Error(`the research API's endpoints: ${problem}`);
  return all;
}
