import { openWeekByQuery, publishedWeeksByPartitions } from '@spine/otc/finra-query/query-api-weeks';
import { DEFAULT_MAX_FILE_BYTES, toIsoDate } from '@spine/platform';
import { SourceNotFoundError, type FinraSource, type PublishedWeeks, type SourceObject, type WeekRequest } from '../source.ts';
import type { FinraApiOptions } from './options.ts';
import { FinraQueryClient } from './query-client.ts';

/**
 * OTC's weeks from FINRA's Query API: the generic client (query-client.ts) asked what OTC's request mapping
 * (`@spine/otc/finra-query`: which dataset for a week, FINRA's identifiers of tiers and venue types, the week file in
 * FINRA's download format) says to ask, as the `finra` source of the pipeline.
 */
export class FinraApiSource implements FinraSource {
  readonly kind = 'finra';
  readonly #client: FinraQueryClient;
  readonly #maxFileBytes: number;
  readonly #now: () => Date;

  /** A week's file larger than `maxFileBytes` fails its read with FileTooLargeError, and no more pages are asked for. */
  constructor(options: FinraApiOptions, { maxFileBytes = DEFAULT_MAX_FILE_BYTES }: { maxFileBytes?: number } = {}) {
    this.#maxFileBytes = maxFileBytes;
    this.#client = new FinraQueryClient(options);
    this.#now = options.now ?? (() => new Date());
  }

  describe(): string {
    return this.#client.describe();
  }

  /**
   * Fetches the first page before resolving, so an unpublished week rejects here with SourceNotFoundError; the
   * remaining pages are fetched as the body is read. A week near the 12-month line is looked for in both datasets.
   */
  async openWeek(req: WeekRequest, signal?: AbortSignal): Promise<SourceObject> {
    const week = await openWeekByQuery(this.#client, req, { today: this.#today(), maxFileBytes: this.#maxFileBytes }, signal);
    if (!week.found) throw new SourceNotFoundError(week.tier, req.weekEnding, week.asked.join(' and '), week.venueType);
    return { body: week.body, sourceUri: week.sourceUri, publication: week.publication };
  }

  /** The weeks FINRA's partitions list (PartitionsUnknownError when they cannot be read: unknown, not unpublished). */
  publishedWeeks(oldestWeekEnding: string, signal?: AbortSignal): Promise<PublishedWeeks> {
    return publishedWeeksByPartitions(this.#client, oldestWeekEnding, this.#today(), signal);
  }

  #today(): string {
    return toIsoDate(this.#now());
  }
}
