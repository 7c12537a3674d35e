import { toIsoDate } from '@spine/platform/time/week-ending';
import type { PartitionRequest, PartitionSource, PublishedPartitions, SourceLimits, SourceObject } from '@spine/platform/sources/partition-source';
import type { QueryApi } from '@spine/platform/sources/query-api';
import { openWeekByQuery, publishedWeeksByPartitions } from '../finra-query/query-api-weeks.ts';
import { weekAsked } from './week-asked.ts';
import { weekNotFound } from './week-not-found.ts';

/**
 * OTC's weeks from FINRA's Query API: the generic client asked what OTC's request mapping (`../finra-query`: which
 * dataset for a week, FINRA's identifiers of tiers and venue types, the week file in FINRA's download format) says.
 */
export class OtcQuerySource implements PartitionSource {
  readonly kind = 'api';
  readonly #api: QueryApi;
  readonly #limits: SourceLimits;

  /** A week's file larger than `maxFileBytes` fails its read with FileTooLargeError, and no more pages are asked for. */
  constructor(api: QueryApi, limits: SourceLimits) {
    this.#api = api;
    this.#limits = limits;
  }

  describe(): string {
    return this.#api.describe();
  }

  /**
   * Fetches the first page before resolving, so an unpublished week rejects here with SourceNotFoundError; the
   * remaining pages are fetched as the body is read. A week near the 12-month line is looked for in both datasets.
   */
  async open(partition: PartitionRequest, signal?: AbortSignal): Promise<SourceObject> {
    const week = await openWeekByQuery(this.#api, weekAsked(partition), { today: this.#today(), maxFileBytes: this.#limits.maxFileBytes }, signal);
    if (!week.found) throw weekNotFound({ ...partition, key1: week.tier, key2: week.venueType }, week.asked.join(' and '));
    return { body: week.body, sourceUri: week.sourceUri, publication: week.publication };
  }

  /** The weeks FINRA's partitions list (PartitionsUnknownError when they cannot be read: unknown, not unpublished). */
  published(oldestWeekEnding: string, signal?: AbortSignal): Promise<PublishedPartitions> {
    return publishedWeeksByPartitions(this.#api, oldestWeekEnding, this.#today(), signal);
  }

  #today(): string {
    return toIsoDate(this.#limits.now());
  }
}
