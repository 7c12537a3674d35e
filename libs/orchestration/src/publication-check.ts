import { createSource, finraApiOptionsFromEnv, parseSourceSpec, type FinraApiOptions, type FinraSource, type PublishedWeeks } from '@spine/finra-source';
import type { WeekKey } from './job-ids.ts';

export interface PublicationSplit {
  published: WeekKey[];
  unpublished: WeekKey[];
  /** Where the source looked (the partitions URLs), for the message. */
  where: string;
}

/**
 * Splits the weeks a backfill asks for by whether the source has published them, on sources that can tell
 * (FINRA's partitions); undefined on sources that cannot, whose weeks are all fetched.
 */
export async function splitByPublication(source: FinraSource, weeks: WeekKey[]): Promise<PublicationSplit | undefined> {
  if (!source.publishedWeeks || weeks.length === 0) return undefined;
  const oldest = weeks.reduce((min, w) => (w.week_ending < min ? w.week_ending : min), weeks[0]!.week_ending);
  const published = await source.publishedWeeks(oldest);
  return {
    published: weeks.filter((w) => published.has(w.tier, w.week_ending)),
    unpublished: weeks.filter((w) => !published.has(w.tier, w.week_ending)),
    where: published.where,
  };
}

export interface BackfillWeeks {
  /** The weeks to enqueue: all of them, or on a source that lists its weeks, the published ones. */
  weeks: WeekKey[];
  unpublished: WeekKey[];
  /** Why nothing is left, in one line, when every week asked for is unpublished. */
  refusal?: string;
}

/**
 * What a backfill (CLI or dashboard) enqueues: on FINRA, the weeks it has published; a week it does not list would
 * only fail after minutes of retries. Directory and S3 sources are taken as they are.
 */
export async function backfillWeeks(spec: string, weeks: WeekKey[]): Promise<BackfillWeeks> {
  const split = parseSourceSpec(spec).kind === 'finra' ? await splitByPublication(createSource(spec), weeks) : undefined;
  if (!split || split.unpublished.length === 0) return { weeks, unpublished: [] };
  const listed = split.unpublished.map((w) => `${w.tier} ${w.venue_type} ${w.week_ending}`).join(', ');
  return {
    weeks: split.published, unpublished: split.unpublished,
    ...(split.published.length === 0 ? { refusal: `FINRA has not published any of the ${weeks.length} week(s) asked for (${listed}): ${split.where} does not list them` } : {}),
  };
}

/**
 * The published weeks of a schedule's source, for the scheduler and `spine lag`: FINRA's partitions for `finra`,
 * undefined for directory and S3 sources, which cannot tell "not published" from "not there".
 */
export function sourcePublication(finraApi: FinraApiOptions = finraApiOptionsFromEnv(process.env)): (spec: string, oldestWeekEnding: string) => Promise<PublishedWeeks | undefined> {
  // The lookup only refines what is enqueued: two quick attempts, so an unreachable FINRA cannot stall a tick.
  const lookupOptions = { ...finraApi, maxAttempts: Math.min(2, finraApi.maxAttempts ?? 2), timeoutMs: Math.min(10_000, finraApi.timeoutMs ?? 10_000) };
  return async (spec, oldestWeekEnding) => {
    if (parseSourceSpec(spec).kind !== 'finra') return undefined;
    return createSource(spec, { finraApi: lookupOptions }).publishedWeeks?.(oldestWeekEnding);
  };
}
