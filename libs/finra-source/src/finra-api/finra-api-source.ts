import { Readable } from 'node:stream';
import { parseTier, tierApiIdentifier } from '@spine/otc/tiers';
import { parseVenueType, summaryTypeCode } from '@spine/otc/venue-types';
import { capBytes, DEFAULT_MAX_FILE_BYTES, toIsoDate } from '@spine/platform';
import { z } from 'zod';
import { SourceNotFoundError, type FinraSource, type PublishedWeeks, type SourceObject, type WeekRequest } from '../source.ts';
import { weekStartDate } from '../week-dates.ts';
import { CURRENT_DATASET, datasetsFor, filtersServerSide, HISTORIC_DATASET, type FinraDataset } from './datasets.ts';
import { FinraResponseError, PartitionsUnknownError } from './errors.ts';
import { withRetries } from './http-retry.ts';
import { requestJson, type JsonAnswer } from './json-request.ts';
import { OAuthTokenCache } from './oauth-token.ts';
import { finraApiOptionsSchema, type FinraApiOptions, type ResolvedFinraApiOptions } from './options.ts';
import { parseRecordTotal, readPages, type Page } from './paging.ts';
import { PartitionWeeks } from './partitions.ts';
import { PublicationDates } from './publication-dates.ts';
import {
  FINRA_FILE_COLUMNS, FINRA_FIRM_FILE_COLUMNS, formatRowLine, identityMismatch, queryFields, weeklySummaryRowSchema, type RowIdentity, type WeeklySummaryRow,
} from './row-format.ts';
import { waitTurn } from './throttle.ts';

export const DATA_PATH = '/data/group/otcMarket/name/';
export const PARTITIONS_PATH = '/partitions/group/otcMarket/name/';
/** A stable order, so that offsets mean the same rows on every page (symbol x venue is the grain's key). */
const SORT_FIELDS = ['summaryTypeCode', 'issueSymbolIdentifier', 'MPID'];

const pageSchema = z.array(weeklySummaryRowSchema);

/** One week's query against one dataset: what is sent, and what every row must say about itself. */
interface WeekQuery {
  dataset: FinraDataset;
  url: string;
  body: { compareFilters: { compareType: 'EQUAL'; fieldName: string; fieldValue: string }[]; fields: string[]; sortFields: string[] };
  expected: RowIdentity;
  /** Rows of other grains are part of the answer (the historic dataset cannot filter on summaryTypeCode) and skipped. */
  skipOtherGrains: boolean;
  /** The query as a URI: the dataset URL with the POST body (paging aside) as `request`, replayable as it stands. */
  uri: string;
  /** The query for people: `POST <url> field=value ...`, in every error about it. */
  label: string;
  /** The file's columns: the download format, plus the firm CRD number for non-ATS weeks. */
  columns: readonly (typeof FINRA_FIRM_FILE_COLUMNS)[number][];
}

/**
 * FINRA's Query API, otcMarket weekly datasets, one week x tier x summary type per query, as documented in the
 * FINRA API Developer Center (DOMAIN.md, "The FINRA Query API"; this package's README).
 */
export class FinraApiSource implements FinraSource {
  readonly kind = 'finra';
  readonly #options: ResolvedFinraApiOptions;
  readonly #baseUrl: string;
  readonly #tokens: OAuthTokenCache | undefined;
  readonly #maxFileBytes: number;

  /** A week's file larger than `maxFileBytes` fails its read with FileTooLargeError, and no more pages are asked for. */
  constructor(options: FinraApiOptions, { maxFileBytes = DEFAULT_MAX_FILE_BYTES }: { maxFileBytes?: number } = {}) {
    this.#maxFileBytes = maxFileBytes;
    // The schema strips the hooks, which are not data; put them back.
    this.#options = { ...finraApiOptionsSchema.parse(options), onRetry: options.onRetry, now: options.now };
    // From the first of the trailing slashes only (the lookbehind): `\/+$` alone would rescan the run from each one.
    this.#baseUrl = this.#options.baseUrl.replace(/(?<!\/)\/+$/, '');
    const { tokenUrl, clientId, clientSecret } = this.#options;
    this.#tokens = clientId && clientSecret ? new OAuthTokenCache({ tokenUrl, clientId, clientSecret }) : undefined;
  }

  describe(): string {
    return `finra:${this.#options.baseUrl}${this.#tokens ? ' (OAuth2)' : ''}`;
  }

  /**
   * Fetches the first page before resolving, so an unpublished week rejects here with SourceNotFoundError; the
   * remaining pages are fetched as the body is read. A week near the 12-month line is looked for in both datasets.
   */
  async openWeek(req: WeekRequest, signal?: AbortSignal): Promise<SourceObject> {
    const { weekEnding } = req;
    const tier = parseTier(req.tier);
    const venueType = parseVenueType(req.venueType);
    if (!tier || !venueType) throw new Error(`FINRA publishes no weekly summary for tier "${req.tier}" and venue type "${req.venueType}"`);
    const weekStart = weekStartDate(weekEnding);
    const asked: string[] = [];
    const columns = venueType === 'NON_ATS' ? FINRA_FIRM_FILE_COLUMNS : FINRA_FILE_COLUMNS;
    for (const dataset of datasetsFor(weekStart, this.#today())) {
      const query = this.#weekQuery(dataset, { weekStartDate: weekStart, tierIdentifier: tierApiIdentifier(tier), summaryTypeCode: summaryTypeCode(venueType) }, columns);
      asked.push(query.label);
      const pages = readPages(query.label, this.#options.pageSize, (offset, limit) => this.#fetchPage(query, offset, limit, signal));
      const first = await pages.next();
      if (first.done) continue;
      const dates = new PublicationDates();
      return {
        body: capBytes(Readable.from(fileLines(query, first.value, pages, dates), { objectMode: false }), this.#maxFileBytes, query.uri),
        sourceUri: query.uri,
        publication: () => dates.value,
      };
    }
    throw new SourceNotFoundError(tier, weekEnding, asked.join(' and '), venueType);
  }

  /**
   * The weeks FINRA lists as partitions of weeklySummary, and of weeklySummaryHistoric as well when `oldestWeekEnding`
   * reaches back past the 12 months the current dataset holds: a week either lists is published, whatever its age.
   * Partitions that cannot be read (404, an error) reject with PartitionsUnknownError: unknown, not unpublished.
   */
  async publishedWeeks(oldestWeekEnding: string, signal?: AbortSignal): Promise<PublishedWeeks> {
    const datasets = datasetsFor(weekStartDate(oldestWeekEnding), this.#today()).includes(HISTORIC_DATASET) ? [CURRENT_DATASET, HISTORIC_DATASET] : [CURRENT_DATASET];
    const urls = datasets.map((dataset) => `${this.#baseUrl}${PARTITIONS_PATH}${dataset}`);
    const weeks = new PartitionWeeks(urls.join(' and '));
    for (const url of urls) {
      try {
        weeks.add((await this.#exchange('GET', url, undefined, signal)).json ?? {}, url);
      } catch (error) {
        if (signal?.aborted) throw error;
        throw new PartitionsUnknownError(url, { cause: error });
      }
    }
    return weeks;
  }

  #today(): string {
    return toIsoDate(this.#options.now?.() ?? new Date());
  }

  #weekQuery(dataset: FinraDataset, expected: RowIdentity, columns: WeekQuery['columns']): WeekQuery {
    const skipOtherGrains = !filtersServerSide(dataset).summaryTypeCode;
    const serverFilters = skipOtherGrains ? { weekStartDate: expected.weekStartDate, tierIdentifier: expected.tierIdentifier } : expected;
    const url = `${this.#baseUrl}${DATA_PATH}${dataset}`;
    const body = {
      compareFilters: Object.entries(serverFilters).map(([fieldName, fieldValue]) => ({ compareType: 'EQUAL' as const, fieldName, fieldValue })),
      fields: queryFields(columns),
      sortFields: SORT_FIELDS,
    };
    const params = new URLSearchParams({ request: JSON.stringify(body) });
    if (skipOtherGrains) params.set('keep', `summaryTypeCode=${expected.summaryTypeCode}`);
    const label = `POST ${url} ${Object.entries(expected).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    return { dataset, url, body, expected, skipOtherGrains, uri: `${url}?${params}`, label, columns };
  }

  async #fetchPage(query: WeekQuery, offset: number, limit: number, signal: AbortSignal | undefined): Promise<Page<WeeklySummaryRow>> {
    const answer = await this.#exchange('POST', query.url, { ...query.body, limit, offset }, signal);
    const recordTotal = parseRecordTotal(answer.headers.get('record-total'), query.label);
    // 200 with [] is FINRA's documented "no rows"; 204 with no body is what it has been seen to send instead.
    if (answer.json === undefined) return { rows: [], recordTotal };
    const page = pageSchema.safeParse(answer.json);
    if (!page.success) {
      throw new FinraResponseError(query.label, `expected an array of weekly summary rows: ${z.prettifyError(page.error)}`, false);
    }
    return { rows: page.data, recordTotal };
  }

  /** One throttled request with its retries: 429 (Retry-After), 5xx, timeouts and cut-off bodies are repeated. */
  #exchange(method: 'GET' | 'POST', url: string, body: unknown, signal: AbortSignal | undefined): Promise<JsonAnswer> {
    const { requestsPerSecond, maxPageBytes } = this.#options;
    const origin = new URL(url).origin;
    return withRetries(
      url,
      { ...this.#options, waitTurn: () => waitTurn(origin, requestsPerSecond) },
      (attemptSignal) => requestJson({ method, url, body, signal: attemptSignal, tokens: this.#tokens, maxBodyBytes: maxPageBytes }),
      signal,
    );
  }
}

/**
 * The download file: the header, then the lines of each page as the pages arrive. Every row must be of the week,
 * tier and grain asked for: one that is not is an error of the source, and fails the read before anything is stored.
 * The rows' publication dates, which the file has no column for, are gathered in `dates`.
 */
async function* fileLines(query: WeekQuery, firstPage: WeeklySummaryRow[], morePages: AsyncIterable<WeeklySummaryRow[]>, dates: PublicationDates): AsyncGenerator<Buffer> {
  let seen = 0;
  let kept = 0;
  const linesOf = (rows: WeeklySummaryRow[]): string => {
    let text = '';
    for (const row of rows) {
      seen++;
      if (query.skipOtherGrains && typeof row.summaryTypeCode === 'string' && row.summaryTypeCode !== query.expected.summaryTypeCode) continue;
      const mismatch = identityMismatch(row, query.expected);
      if (mismatch) throw new FinraResponseError(query.label, `row ${seen} of the answer has ${mismatch}: the source answered another week, tier or grain`, false);
      kept++;
      dates.add(row);
      text += `${formatRowLine(row, query.columns)}\n`;
    }
    return text;
  };
  yield Buffer.from(`${query.columns.join('|')}\n${linesOf(firstPage)}`);
  for await (const page of morePages) yield Buffer.from(linesOf(page));
  if (kept === 0) {
    throw new FinraResponseError(query.label, `${seen} rows answered, none of summaryTypeCode ${query.expected.summaryTypeCode}`, false);
  }
}
