import type { z } from 'zod';

/**
 * A dataset's query to a paged HTTP query API (FINRA's Query API: POST Data, GET Partitions), in the dataset's own
 * terms. The client (`@spine/finra-source`) does the protocol (authentication, paging, the payload cap, throttling,
 * retries, empty answers, error bodies); the dataset says what to ask and what each record must look like. A dataset
 * package takes the client as this interface, so it depends on the platform only.
 */
export interface QueryRequest<T> {
  /** The dataset's group and name (`POST /data/group/{group}/name/{name}`). */
  group: string;
  name: string;
  /** The fields each record carries. */
  fields: readonly string[];
  /** Equality filters, sent in this order (compareFilters, compareType EQUAL): e.g. the partition asked for. */
  filters?: Readonly<Record<string, string>>;
  /** Inclusive date ranges (dateRangeFilters). */
  dateRanges?: readonly { field: string; start: string; end: string }[];
  /** A stable order, so that an offset means the same records on every page. */
  sortFields?: readonly string[];
  /** Every record is checked with this; an answer whose records fail it fails the read, not retried. */
  record: z.ZodType<T>;
  /** What a record is called in messages ("expected an array of <recordsName>"). */
  recordsName: string;
  /**
   * What the query is named by in every error about it, `POST <url> field=value ...`: by default its filters; a caller
   * that checks more of each record than it can filter on names those too.
   */
  labelFields?: Readonly<Record<string, string>>;
  /** Parameters added to the answer's source URI beside the request (what the caller keeps of the answer). */
  uriParams?: Readonly<Record<string, string>>;
}

/** An answer whose first page is in hand; the next ones are fetched as they are consumed. */
export interface QueryAnswer<T> {
  /** No records: an empty array, an empty body or 204. */
  readonly empty: boolean;
  /** The dataset's URL. */
  readonly url: string;
  /** The URL with the request (paging aside) as `request`: POSTing it to the URL replays the query. */
  readonly uri: string;
  readonly label: string;
  /** The pages, the first included; iterate once. */
  readonly pages: AsyncIterable<T[]>;
  /** The client's typed error (not retryable) for an answer the caller finds wrong, naming the query. */
  invalid(problem: string): Error;
}

/** One answer of GET Partitions: `partitionFields` names the columns of each entry of `partitions`. */
export interface PartitionsAnswer {
  readonly url: string;
  readonly partitionFields: readonly string[];
  readonly partitions: readonly (readonly string[])[];
  invalid(problem: string): Error;
}

export interface QueryApi {
  /** Where it asks, for logs and the CLI (e.g. `finra:https://api.finra.org`). */
  describe(): string;
  /** Resolves once the first page is read. */
  open<T>(request: QueryRequest<T>, signal?: AbortSignal): Promise<QueryAnswer<T>>;
  /**
   * The dataset's partitions, read by `read`. Any failure, `read`'s included, rejects with the client's
   * PublishedPartitionsUnknownError naming `unknown` (e.g. "which weeks are published"): unknown is not the same as
   * unpublished.
   */
  partitions<R>(dataset: { group: string; name: string; unknown: string }, read: (answer: PartitionsAnswer) => R, signal?: AbortSignal): Promise<R>;
}
