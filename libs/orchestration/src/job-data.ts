import * as z from 'zod';
import { partitionKeys, seriesFromWire, toWireSeries, wireSeriesShape, type DatasetDefinition, type DatasetRegistry, type WirePartition, type WireSeries } from '@spine/platform';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * A partition's keys as job data holds them. Their values are checked against the job's dataset once it is known
 * (parseWeekJob, parseBatchJob): the shape is the same for every dataset.
 */
const seriesFields = {
  ...wireSeriesShape,
  /** Absent in jobs enqueued before the key existed: the dataset's legacy default (resolveSeries). */
  venue_type: wireSeriesShape.venue_type.optional(),
};

/** What every job of a week chain carries; validated when a worker picks the job up. */
export const weekJobSchema = z.object({
  /** Absent in jobs enqueued before datasets were named: the registry's first. */
  dataset: z.string().min(1).optional(),
  batch_id: z.string().min(1),
  correlation_id: z.string().min(1),
  week_execution_id: z.uuid(),
  ...seriesFields,
  week_ending: isoDate,
  source: z.string().min(1),
  force: z.boolean(),
  max_reject_share: z.number().min(0).max(1),
  /** The stage that closes the chain: in a backfill the last before the window stages (its batch runs those), else the dataset's last. */
  last_stage: z.string().min(1),
  /**
   * Whether the chain ends its batch: true for a batch of one partition (no batch job), false in a batch of several.
   * Absent in jobs enqueued before it existed, whose last stage says it (flow-tree.ts chainClosesBatch).
   */
  closes_batch: z.boolean().optional(),
});
type WeekJobInput = z.infer<typeof weekJobSchema>;
export type WeekJobData = WeekJobInput & { venue_type: string };

export const batchJobSchema = z.object({
  dataset: z.string().min(1).optional(),
  batch_id: z.string().min(1),
  correlation_id: z.string().min(1),
  batch_execution_id: z.uuid(),
  weeks: z.array(z.object({ ...seriesFields, week_ending: isoDate })),
  max_reject_share: z.number().min(0).max(1),
  /** A forced backfill re-runs the window stages too, so they match the freshly rewritten aggregates. */
  force: z.boolean().default(false),
});
type BatchJobInput = z.infer<typeof batchJobSchema>;
export type BatchJobData = Omit<BatchJobInput, 'weeks'> & { weeks: WirePartition[] };

/** What a chain job returns to its parent: the capture it worked on, or that the week stopped at a gate. */
export const stageResultSchema = z.object({
  capture_id: z.string(),
  raw_object_key: z.string().optional(),
  gated: z.boolean(),
  rows: z.number(),
});
export type StageResult = z.infer<typeof stageResultSchema>;

export function parseJobData<T>(schema: z.ZodType<T>, data: unknown, jobId: string | undefined): T {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`job ${jobId} has invalid data: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The partition's keys with the legacy default filled in, or why they are not the dataset's. */
function resolveSeries(dataset: DatasetDefinition, series: Omit<WireSeries, 'venue_type'> & { venue_type?: string }): WireSeries | string {
  const [first, second] = partitionKeys(dataset);
  const { key1, key2 } = seriesFromWire({ ...series, venue_type: series.venue_type ?? second.legacyDefault });
  if (!first.values.includes(key1)) return `${first.field} "${key1}" is not one of ${first.values.join(', ')}`;
  if (key2 === undefined) return `${second.field} is missing`;
  if (!second.values.includes(key2)) return `${second.field} "${key2}" is not one of ${second.values.join(', ')}`;
  return toWireSeries({ key1, key2 });
}

function datasetOf(datasets: DatasetRegistry, name: string | undefined, jobId: string | undefined): DatasetDefinition {
  try {
    return datasets.of(name);
  } catch (error) {
    throw new Error(`job ${jobId} has invalid data: ${(error as Error).message}`, { cause: error });
  }
}

/** A week job's data and its dataset; data that names no dataset, no partition of it or no stage of it is invalid. */
export function parseWeekJob(datasets: DatasetRegistry, data: unknown, jobId: string | undefined): { data: WeekJobData; dataset: DatasetDefinition } {
  const parsed = parseJobData(weekJobSchema, data, jobId);
  const dataset = datasetOf(datasets, parsed.dataset, jobId);
  const series = resolveSeries(dataset, parsed);
  if (typeof series === 'string') throw new Error(`job ${jobId} has invalid data: ${series}`);
  if (!dataset.stages.some((s) => s.name === parsed.last_stage)) throw new Error(`job ${jobId} has invalid data: last_stage "${parsed.last_stage}" is no stage of ${dataset.name}`);
  return { data: { ...parsed, ...series }, dataset };
}

export function parseBatchJob(datasets: DatasetRegistry, data: unknown, jobId: string | undefined): { data: BatchJobData; dataset: DatasetDefinition } {
  const parsed = parseJobData(batchJobSchema, data, jobId);
  const dataset = datasetOf(datasets, parsed.dataset, jobId);
  const weeks = parsed.weeks.map((week) => {
    const series = resolveSeries(dataset, week);
    if (typeof series === 'string') throw new Error(`job ${jobId} has invalid data: ${series}`);
    return { ...series, week_ending: week.week_ending };
  });
  return { data: { ...parsed, weeks }, dataset };
}
