import type { Readable } from 'node:stream';
import type { SourcePublication } from '@spine/platform/captures';

/** One week of one tier and venue type, as the pipeline asks for it. */
export interface WeekRequest {
  /** A canonical tier code (DOMAIN.md). */
  tier: string;
  /** ATS volume or non-ATS OTC volume: FINRA's two weekly summaries. */
  venueType: string;
  /** YYYY-MM-DD, a Friday (DOMAIN.md: week_ending is the Friday of the trading week). */
  weekEnding: string;
}

/**
 * The opened week. `body` yields the FINRA download file format: UTF-8, pipe-delimited, the header line
 * FINRA_FILE_HEADER (ATS) or FINRA_FIRM_FILE_HEADER (non-ATS: one more column, the firm's CRD number), one line
 * per row, '\n' line ends.
 */
export interface SourceObject {
  body: NodeJS.ReadableStream | Readable;
  /** Where the bytes came from (https://…, file://…, s3://…), recorded as the raw object's source URL. */
  sourceUri: string;
  /** The publisher's dates of the answer, complete once `body` has been read; sources of plain files have none. */
  publication?: () => SourcePublication;
}

/** The weeks a source says it has, per tier; what the scheduler and backfills consult before fetching. */
export interface PublishedWeeks {
  has(tier: string, weekEnding: string): boolean;
  /** Where the answer came from, for messages (e.g. the partitions URLs asked). */
  readonly where: string;
}

export interface FinraSource {
  readonly kind: 'finra' | 'dir' | 's3';
  /** Human-readable identity for logs and the CLI, e.g. `dir:/data/finra`. */
  describe(): string;
  /** Resolves once the week is known to exist; rejects with SourceNotFoundError when it does not. */
  openWeek(req: WeekRequest, signal?: AbortSignal): Promise<SourceObject>;
  /**
   * The weeks published back to `oldestWeekEnding`, for sources that can list them (FINRA's partitions endpoint);
   * absent on sources that cannot tell "not published" from "not there".
   */
  publishedWeeks?(oldestWeekEnding: string, signal?: AbortSignal): Promise<PublishedWeeks>;
}

/** The week is not available at the source (not yet published, or never was). Callers may retry later. */
export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
  readonly tier: string;
  readonly weekEnding: string;
  /** The path, object key or API query that was looked at. */
  readonly where: string;

  constructor(tier: string, weekEnding: string, where: string, venueType = 'ATS') {
    super(`No ${tier} ${venueType} data for the week ending ${weekEnding} at ${where}`);
    this.tier = tier;
    this.weekEnding = weekEnding;
    this.where = where;
  }
}
