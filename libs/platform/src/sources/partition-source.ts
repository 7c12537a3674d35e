import type { Readable } from 'node:stream';
import type { SourcePublication } from '../captures.ts';
import type { Partition } from '../manifest.ts';
import type { QueryApi } from './query-api.ts';

/** One partition as a source is asked for it: the period's date and the two key slots (manifest.ts). */
export type PartitionRequest = Omit<Partition, 'domain'>;

/** A partition's bytes as the source gives them, passed through unchanged into the raw store. */
export interface SourceObject {
  body: NodeJS.ReadableStream | Readable;
  /** Where the bytes came from (https://…, file://…, s3://…), recorded as the raw object's source URL. */
  sourceUri: string;
  /** The publisher's dates of the answer, complete once `body` has been read; sources of plain files have none. */
  publication?: () => SourcePublication;
}

/** The periods a source says it has published, per first key; what the scheduler and backfills consult before fetching. */
export interface PublishedPartitions {
  has(firstKey: string, period: string): boolean;
  /** Where the answer came from, for messages (e.g. the partitions URLs asked). */
  readonly where: string;
}

/** Where a dataset's partitions come from, as its definition opens them (`openSource`) on what the process can reach. */
export interface PartitionSource {
  /** The form of the source spec it was opened from: the publisher's API, a directory or an S3 prefix. */
  readonly kind: SourceAccess['kind'];
  /** Human-readable identity for logs and the CLI, e.g. `dir:/data/finra`. */
  describe(): string;
  /** Resolves once the partition is known to exist; rejects with SourceNotFoundError when it does not. */
  open(partition: PartitionRequest, signal?: AbortSignal): Promise<SourceObject>;
  /**
   * The partitions published back to `oldestPeriod`, for sources that can list them (a publisher's partitions
   * endpoint); absent on sources that cannot tell "not published" from "not there". A list that cannot be read
   * rejects with PublishedPartitionsUnknownError.
   */
  published?(oldestPeriod: string, signal?: AbortSignal): Promise<PublishedPartitions>;
}

/** Files under a directory or an S3 prefix, by a '/'-separated path the dataset's naming rule gives. */
export interface SourceFiles {
  describe(): string;
  /** The file's bytes, capped at the process's largest file; `notFound` is what a missing file rejects with. */
  open(path: string, notFound: (where: string) => Error, signal?: AbortSignal): Promise<SourceObject>;
}

/**
 * What a process can reach for one source spec (`finra`, `dir:<path>`, `s3:<bucket>/<prefix>`), handed to a
 * dataset's `openSource`: the publisher's query API, or files. The dataset says what to ask for and how its files
 * are named; the source package (`@spine/finra-source`) speaks the protocols.
 */
export type SourceAccess =
  | { readonly kind: 'api'; readonly query: QueryApi; readonly common: SourceLimits }
  | { readonly kind: 'dir' | 's3'; readonly files: SourceFiles; readonly common: SourceLimits };

export interface SourceLimits {
  /** The largest partition any source may give (SOURCE_MAX_FILE_BYTES). */
  readonly maxFileBytes: number;
  /** The clock a source reads "today" from (which of a publisher's datasets holds a period may depend on its age). */
  readonly now: () => Date;
}

/**
 * What `published` rejects with when the source's list cannot be read (an error, no answer): which partitions are
 * published is unknown, which is not the same as unpublished. Callers fall back to asking for each partition, and say
 * so; `cause` is the failure of the request that would have told.
 */
export abstract class PublishedPartitionsUnknownError extends Error {}

/** The partition is not at the source (not yet published, or never was). Callers may retry later. */
export class SourceNotFoundError extends Error {
  override readonly name = 'SourceNotFoundError';
  readonly periodEnd: string;
  readonly key1: string;
  readonly key2: string;
  /** The path, object key or API query that was looked at. */
  readonly where: string;

  constructor(message: string, partition: PartitionRequest, where: string) {
    super(message);
    this.periodEnd = partition.periodEnd;
    this.key1 = partition.key1;
    this.key2 = partition.key2;
    this.where = where;
  }
}
