import type { Readable } from 'node:stream';
import type { CalcNode } from '../calc-graph.ts';
import type { DatasetCalculations } from '../calcs/dataset-calculations.ts';
import type { Pool, Queryable } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { Partition } from '../manifest.ts';
import type { PartitionSource, SourceAccess } from '../sources/partition-source.ts';
import type { ResearchModule } from '../research/research-module.ts';
import type { QueryCommand } from '../research/query-command.ts';
import type { PeriodSpec } from '../time/period-calendar.ts';
import type { StageDefinition, StageRun } from '../stage-runner.ts';

/**
 * What a dataset tells the platform about itself. The platform, orchestration, scheduling, operations, the CLI and the
 * dashboard take datasets from a registry (dataset-registry.ts) and know none by name: queues, job ids, job data,
 * status grids, lag, coverage and backfill forms are built from this. A dataset is a package that implements it and
 * is registered in one place (`@spine/datasets`).
 */
export interface DatasetDefinition {
  /** The dataset's name in the core tables (`core_captures.domain`), job ids and the `--dataset` option. */
  readonly name: string;
  /** The pipeline name executions are recorded under. */
  readonly pipeline: string;
  /** How people call it, for pages and command output. */
  readonly title: string;
  /** Who publishes the data, for messages ("before FINRA's first ATS week"). */
  readonly publisher: string;
  /** The publication's short name after its publisher, for alert texts ("FINRA OTC ...", "FINRA Reg SHO ..."). */
  readonly shortTitle: string;
  readonly period: PeriodDefinition;
  /**
   * The named keys that split one period into partitions, in the order ids, grids and forms show them: one or two
   * (the core tables hold two, the first in `key_1`, the second in `key_2`; a one-key dataset's second is
   * IMPLICIT_SECOND_KEY, see partitionKeys).
   */
  readonly keys: readonly [PartitionKeyDefinition] | readonly [PartitionKeyDefinition, PartitionKeyDefinition];
  /** The first period the publisher released of a series: no source can hold an earlier one. */
  firstPeriod(series: SeriesKey): string;
  /** The stages of one partition in the order they run (the chain a fetch starts). */
  readonly stages: readonly StageSpec[];
  /** The stages' implementations, built from the calculation graph the database holds. */
  buildStages(graph: CalcNode[], options: StageOptions): Promise<StageDefinition[]>;
  readonly codec: PartitionCodec;
  /** Where its partitions come from, on what one source spec reaches (the publisher's API, a directory, S3). */
  openSource(access: SourceAccess): PartitionSource;
  /**
   * Checks a request to run one partition from a local file (`spine run-week`, runPartition in partition-run.ts):
   * its keys in their canonical spelling and the file as a stage's source. Bad input is an InputError (exit code 2).
   */
  prepareFile(request: Pick<RunFileRequest, 'key1' | 'key2' | 'periodEnd' | 'file'>): Promise<PreparedFile>;
  /** Retires what each table keeps no longer (core_retention_policies of the dataset); a dry run changes nothing. */
  applyRetention(pool: Pool, options: RetentionOptions): Promise<RetentionResult>;
  /** How many symbols of one capture (the period before) have no row in another (the period after), for the data gauges. */
  symbolsMissing?(db: Queryable, previousCaptureId: string, captureId: string): Promise<number>;
  /**
   * Its calculations' specs, their check against the graph and side-by-side runs (`spine calcs`, start-up's sync),
   * loaded on demand like the stages. A dataset without it has no specs to show or sync.
   */
  loadCalculations?(): Promise<DatasetCalculations>;
  /**
   * Its research module, loaded on demand like its calculations: its questions of the research API (/api/v1, under
   * /datasets/<name>/, the first dataset's at the root), which the dashboard, the OpenAPI document and `spine query`
   * serve with every other dataset's, its pages of the dashboard's research area, and what `spine export` writes of it.
   */
  research?(): Promise<ResearchModule>;
  /** Its research questions as commands of `spine query`, declared here so the command line lists them without loading `research`. */
  readonly queryCommands?: readonly QueryCommand[];
  /**
   * The absolute path of the dataset's own migrations (node-pg-migrate files: its tables and views, its rows of the
   * core tables, its checks on them), in its package beside its code. Every process that migrates or checks the
   * schema runs them with the platform's and the other datasets' as one sequence ordered by name (migrationDirs() of
   * `@spine/datasets`), so names stay unique across all directories and are never renamed once released.
   */
  readonly migrationsDir?: string;
}

/**
 * A partition's period: its kind (and for trading days the exchange calendar: loadPeriodCalendar turns it into the
 * periods themselves) and the name of the period's date in job data and pages.
 */
export interface PeriodDefinition extends PeriodSpec {
  /** The column and field naming the period's date (a week's Friday, a trading day). */
  readonly field: string;
  readonly label: string;
}

/** One named key of a partition beside its period. */
export interface PartitionKeyDefinition {
  /** The key's field in job data and request parameters. */
  readonly field: string;
  readonly label: string;
  readonly values: readonly string[];
  /** The value partitions written before this key existed carry (jobs enqueued then omit it). */
  readonly legacyDefault?: string;
  /** Any accepted spelling to the canonical value; undefined for an unknown one, never a guess. */
  parse(text: string): string | undefined;
  /** The second key of a one-key dataset, which people never see or type (IMPLICIT_SECOND_KEY). */
  readonly implicit?: true;
}

/** The second key of every partition of a one-key dataset, in the core tables' `key_2` and in job data (`venue_type`). */
export const NO_SECOND_KEY = '-';

/** A one-key dataset's second key: one value, filled in where a job or request leaves it out, as a legacy default is. */
export const IMPLICIT_SECOND_KEY: PartitionKeyDefinition = {
  field: 'venue_type', label: 'Series', values: [NO_SECOND_KEY], legacyDefault: NO_SECOND_KEY, implicit: true,
  parse: (text) => (text.trim() === NO_SECOND_KEY ? NO_SECOND_KEY : undefined),
};

/** The two key slots of a dataset's partitions: its own keys, the second implicit when it declares one. */
export function partitionKeys(definition: Pick<DatasetDefinition, 'keys'>): readonly [PartitionKeyDefinition, PartitionKeyDefinition] {
  const { keys } = definition;
  return keys.length === 2 ? keys : [keys[0], IMPLICIT_SECOND_KEY];
}

/** A partition under the dataset's own field names (`week_ending`, `tier`, `venue_type` for one), as stored records show it. */
export function partitionFields(definition: Pick<DatasetDefinition, 'keys' | 'period'>, partition: Omit<Partition, 'domain'>): Record<string, string> {
  const [first, second] = partitionKeys(definition);
  return { [first.field]: partition.key1, [second.field]: partition.key2, [definition.period.field]: partition.periodEnd };
}

/** The two keys of a partition without its period: one series of periods. */
export interface SeriesKey {
  key1: string;
  key2: string;
}

/** One stage of a partition's chain. */
export interface StageSpec {
  readonly name: string;
  /** `fetch` stages run on the fetch queue (network-bound); the rest on the stage queue (database-bound). */
  readonly queue: 'fetch' | 'stage';
  /**
   * A stage over neighbouring periods of its series (a rolling window): it locks the series, and a backfill runs it
   * once every period of the series has passed its own stages, in period order.
   */
  readonly spansNeighbours: boolean;
}

/** The bytes a stage reads: a stored raw object of the partition. */
export interface RawSource {
  uri: string;
  /** The object's first line, read before the stage starts (a file in no known layout fails there). */
  firstLine: string;
  open(): Readable | Promise<Readable>;
}

export interface StageOptions {
  /** Reject share above which the partition stops after ingest (the quality gate). */
  maxRejectShare: number;
  source?: RawSource;
  /** The memory bound of reordering a file before it spills to disk. */
  groupMemoryBytes?: number;
  /** The bound of rows waiting to be COPYed while ingest reads on (InterleavedCopy's maxQueuedBytes). */
  copyQueueBytes?: number;
}

/**
 * The names a partition goes by outside the database. They must never change for an existing partition: capture ids
 * are stored, lock names are shared by running processes of two releases, job ids make adding a queued job a no-op.
 */
export interface PartitionCodec {
  /** `<prefix>-<first 12 hex of the content's SHA-256>` is a capture's id. */
  captureIdPrefix(partition: Partition): string;
  /** `<prefix><sha256>.<extension>` is a raw object's key. */
  objectKeyPrefix(partition: Partition): string;
  readonly rawExtension: string;
  /** The advisory lock of one partition, or of every partition of its series. */
  lockName(partition: Partition, scope: 'partition' | 'series'): string;
  /** The partition in job ids: `<id>-<stage>`. */
  jobIdPart(partition: Omit<Partition, 'domain'>): string;
  /** The series in job ids (a backfill's window job). */
  seriesIdPart(series: SeriesKey): string;
}

export interface RunFileRequest {
  /** Any accepted spelling of the partition's keys. */
  key1: string;
  /** The second key; the dataset's legacy default when absent (a file may not say which series it holds). */
  key2?: string;
  periodEnd: string;
  file: string;
  force?: boolean;
  maxRejectShare: number;
  groupMemoryBytes?: number;
  copyQueueBytes?: number;
  logger?: Logger;
}

/** A run request's partition keys, canonical, and its file as the source of the stage after fetch. */
export interface PreparedFile {
  key1: string;
  key2: string;
  source: RawSource;
}

export interface RunFileResult {
  batchId: string;
  executionId: string;
  periodEnd: string;
  key1: string;
  key2: string;
  captureId: string;
  revision: number;
  status: 'completed' | 'gated';
  stages: StageRun[];
  durationMs: number;
}

export interface RetentionOptions {
  dryRun: boolean;
  /** The day the policies count back from (default today, UTC). */
  asOf?: string;
}

export interface RetentionTableResult {
  table: string;
  /** The policy, as PostgreSQL prints an interval; null keeps everything. */
  keep: string | null;
  /** Captures whose rows this run retired from the table. */
  captures: number;
  rows: number;
}

export interface RetentionResult {
  dry_run: boolean;
  as_of: string;
  tables: RetentionTableResult[];
  /** Stored rows removed because no table shows their capture any more. */
  freed: Record<string, number>;
}
