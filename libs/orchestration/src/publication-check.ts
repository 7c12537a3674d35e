import { seriesFromWire, type DatasetDefinition, type DatasetRegistry, type PublishedPartitions } from '@spine/platform';
import { finraApiOptionsFromProcessEnv } from '@spine/finra-source/finra-env';
import { PartitionsUnknownError, parseSourceSpec, sourceAccess, type FinraApiOptions } from '@spine/finra-source';
import type { WeekKey } from './job-ids.ts';
import { partitionName, periodNoun } from './partition-names.ts';

export interface BackfillWeeks {
  /** The weeks to enqueue: all of them, or on a source that lists its weeks, the published ones. */
  weeks: WeekKey[];
  unpublished: WeekKey[];
  /** Why nothing is left, in one line, when every week asked for is unpublished. */
  refusal?: string;
  /** Why every week asked for is enqueued unchecked: the source's list of published weeks could not be read. */
  warning?: string;
}

/**
 * What a backfill (CLI or dashboard) enqueues: on FINRA, the weeks it has published; a week it does not list would
 * only fail after minutes of retries. Directory and S3 sources are taken as they are.
 */
export async function backfillWeeks(dataset: DatasetDefinition, spec: string, weeks: WeekKey[]): Promise<BackfillWeeks> {
  const source = parseSourceSpec(spec).kind === 'finra' ? dataset.openSource(sourceAccess(spec)) : undefined;
  if (!source?.published || weeks.length === 0) return { weeks, unpublished: [] };
  const oldest = weeks.reduce((min, w) => (w.week_ending < min ? w.week_ending : min), weeks[0]!.week_ending);
  let listing: PublishedPartitions;
  try {
    listing = await source.published(oldest);
  } catch (error) {
    if (!(error instanceof PartitionsUnknownError)) throw error;
    return { weeks, unpublished: [], warning: `${error.message}; every ${periodNoun(dataset)} asked for is enqueued, and each fetch asks ${dataset.publisher}'s data endpoints` };
  }
  const isListed = (w: WeekKey) => listing.has(seriesFromWire(w).key1, w.week_ending);
  const published = weeks.filter(isListed);
  const unpublished = weeks.filter((w) => !isListed(w));
  if (unpublished.length === 0) return { weeks, unpublished };
  const listed = unpublished.map((w) => partitionName(dataset, w)).join(', ');
  return {
    weeks: published, unpublished,
    ...(published.length === 0 ? { refusal: `${dataset.publisher} has not published any of the ${weeks.length} ${periodNoun(dataset)}(s) asked for (${listed}): ${listing.where} does not list them` } : {}),
  };
}

/**
 * The published periods of a dataset on a schedule's source, for the scheduler and `spine lag`: FINRA's partitions
 * for `finra`, undefined for directory and S3 sources, which cannot tell "not published" from "not there".
 */
export function sourcePublication(
  datasets: DatasetRegistry, finraApi: FinraApiOptions = finraApiOptionsFromProcessEnv(),
): (dataset: string, spec: string, oldestPeriod: string) => Promise<PublishedPartitions | undefined> {
  // The lookup only refines what is enqueued: two quick attempts, so an unreachable FINRA cannot stall a tick.
  const lookupOptions = { ...finraApi, maxAttempts: Math.min(2, finraApi.maxAttempts ?? 2), timeoutMs: Math.min(10_000, finraApi.timeoutMs ?? 10_000) };
  return async (dataset, spec, oldestPeriod) => {
    if (parseSourceSpec(spec).kind !== 'finra') return undefined;
    return datasets.get(dataset).openSource(sourceAccess(spec, { finraApi: lookupOptions })).published?.(oldestPeriod);
  };
}
