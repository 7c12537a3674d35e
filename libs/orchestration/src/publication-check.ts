import type { DatasetDefinition, DatasetRegistry, PublishedPartitions, SourceCatalog } from '@spine/platform';
import { seriesFromWire } from '@spine/platform/dataset/wire-partition';
import { PublishedPartitionsUnknownError } from '@spine/platform/sources/partition-source';
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
 * What a backfill (CLI or dashboard) enqueues: on the publisher's API, the weeks it has published; a week it does not
 * list would only fail after minutes of retries. Directory and S3 sources are taken as they are.
 */
export async function backfillWeeks(dataset: DatasetDefinition, sources: SourceCatalog, spec: string, weeks: WeekKey[]): Promise<BackfillWeeks> {
  const source = sources.kind(spec) === 'api' ? dataset.openSource(sources.open(spec)) : undefined;
  if (!source?.published || weeks.length === 0) return { weeks, unpublished: [] };
  const oldest = weeks.reduce((min, w) => (w.week_ending < min ? w.week_ending : min), weeks[0]!.week_ending);
  let listing: PublishedPartitions;
  try {
    listing = await source.published(oldest);
  } catch (error) {
    if (!(error instanceof PublishedPartitionsUnknownError)) throw error;
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

/** The lookup only refines what is enqueued: two quick attempts, so an unreachable publisher cannot stall a tick. */
const PUBLICATION_LOOKUP = { maxAttempts: 2, timeoutMs: 10_000 };

/**
 * The published periods of a dataset on a schedule's source, for the scheduler and `spine lag`: the publisher's
 * partitions on its API, undefined for directory and S3 sources, which cannot tell "not published" from "not there".
 */
export function sourcePublication(
  datasets: DatasetRegistry, sources: SourceCatalog,
): (dataset: string, spec: string, oldestPeriod: string) => Promise<PublishedPartitions | undefined> {
  return async (dataset, spec, oldestPeriod) => {
    if (sources.kind(spec) !== 'api') return undefined;
    return datasets.get(dataset).openSource(sources.open(spec, PUBLICATION_LOOKUP)).published?.(oldestPeriod);
  };
}
