import type { PartitionsAnswer, QueryAnswer, QueryApi, QueryRequest } from '@spine/platform/sources/query-api';
import * as z from 'zod';
import { FinraResponseError, PartitionsUnknownError } from './errors.ts';
import { withRetries } from './http-retry.ts';
import { requestJson, type JsonAnswer } from './json-request.ts';
import { OAuthTokenCache } from './oauth-token.ts';
import { finraApiOptionsSchema, type FinraApiOptions, type ResolvedFinraApiOptions } from './options.ts';
import { parseRecordTotal, readPages, type Page } from './paging.ts';
import { waitTurn } from './throttle.ts';

/**
 * GET Partitions (developer.finra.org/get-partitions): `partitionFields` names the columns of each entry of
 * `availablePartitions`. A dataset without partitions answers 200 with a status body instead ("No partitions found
 * for specified dataset.").
 */
const partitionsSchema = z.union([
  z.object({ partitionFields: z.array(z.string()), availablePartitions: z.array(z.object({ partitions: z.array(z.string()) })) }),
  z.object({ statusCode: z.number(), message: z.string() }).transform(() => ({ partitionFields: [] as string[], availablePartitions: [] as { partitions: string[] }[] })),
]);

/** The POST Data body without the paging, in the order FINRA documents it. */
interface QueryBody {
  compareFilters: { compareType: 'EQUAL'; fieldName: string; fieldValue: string }[];
  dateRangeFilters?: { fieldName: string; startDate: string; endDate: string }[];
  fields: string[];
  sortFields?: string[];
}

/**
 * FINRA's Query API, any dataset (FINRA API Developer Center: POST Data, GET Partitions, Platform Usage Limits;
 * DOMAIN.md, "The FINRA Query API"; this package's README): OAuth2 client credentials, pages by Record-Total under
 * the payload cap, a throttle shared per origin, 204 and [] as no records, retries with FINRA's error body in the
 * error. Which dataset, filters and fields to ask is the dataset's business (it takes this client as `QueryApi`).
 */
export class FinraQueryClient implements QueryApi {
  readonly #options: ResolvedFinraApiOptions;
  readonly #baseUrl: string;
  readonly #tokens: OAuthTokenCache | undefined;

  constructor(options: FinraApiOptions) {
    // The schema strips the hooks, which are not data; put them back.
    this.#options = { ...finraApiOptionsSchema.parse(options), onRetry: options.onRetry };
    // From the first of the trailing slashes only (the lookbehind): `\/+$` alone would rescan the run from each one.
    this.#baseUrl = this.#options.baseUrl.replace(/(?<!\/)\/+$/, '');
    const { tokenUrl, clientId, clientSecret } = this.#options;
    this.#tokens = clientId && clientSecret ? new OAuthTokenCache({ tokenUrl, clientId, clientSecret }) : undefined;
  }

  describe(): string {
    return `finra:${this.#options.baseUrl}${this.#tokens ? ' (OAuth2)' : ''}`;
  }

  dataUrl(group: string, name: string): string {
    return `${this.#baseUrl}/data/group/${group}/name/${name}`;
  }

  partitionsUrl(group: string, name: string): string {
    return `${this.#baseUrl}/partitions/group/${group}/name/${name}`;
  }

  async open<T>(request: QueryRequest<T>, signal?: AbortSignal): Promise<QueryAnswer<T>> {
    const url = this.dataUrl(request.group, request.name);
    const filters = Object.entries(request.filters ?? {});
    const body: QueryBody = {
      compareFilters: filters.map(([fieldName, fieldValue]) => ({ compareType: 'EQUAL' as const, fieldName, fieldValue })),
      ...(request.dateRanges?.length ? { dateRangeFilters: request.dateRanges.map(({ field, start, end }) => ({ fieldName: field, startDate: start, endDate: end })) } : {}),
      fields: [...request.fields],
      ...(request.sortFields ? { sortFields: [...request.sortFields] } : {}),
    };
    const params = new URLSearchParams({ request: JSON.stringify(body), ...request.uriParams });
    const label = `POST ${url} ${Object.entries(request.labelFields ?? request.filters ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')}`.trimEnd();
    const pageSchema = z.array(request.record);
    const fetchPage = async (offset: number, limit: number): Promise<Page<T>> => {
      const answer = await this.#exchange('POST', url, { ...body, limit, offset }, signal);
      const recordTotal = parseRecordTotal(answer.headers.get('record-total'), label);
      // 200 with [] is FINRA's documented "no rows"; 204 with no body is what it has been seen to send instead.
      if (answer.json === undefined) return { rows: [], recordTotal };
      const page = pageSchema.safeParse(answer.json);
      if (!page.success) throw new FinraResponseError(label, `expected an array of ${request.recordsName}: ${z.prettifyError(page.error)}`, false);
      return { rows: page.data, recordTotal };
    };
    const pages = readPages(label, this.#options.pageSize, fetchPage);
    const first = await pages.next();
    return {
      empty: first.done === true,
      url,
      uri: `${url}?${params}`,
      label,
      pages: (async function* () {
        if (first.done) return;
        yield first.value;
        yield* pages;
      })(),
      invalid: (problem) => new FinraResponseError(label, problem, false),
    };
  }

  async partitions<R>(dataset: { group: string; name: string; unknown: string }, read: (answer: PartitionsAnswer) => R, signal?: AbortSignal): Promise<R> {
    const url = this.partitionsUrl(dataset.group, dataset.name);
    try {
      const json = (await this.#exchange('GET', url, undefined, signal)).json ?? {};
      const parsed = partitionsSchema.safeParse(json);
      if (!parsed.success) throw new FinraResponseError(url, `not a partitions answer: ${z.prettifyError(parsed.error)}`, false);
      const { partitionFields, availablePartitions } = parsed.data;
      return read({
        url, partitionFields, partitions: availablePartitions.map((entry) => entry.partitions),
        invalid: (problem) => new FinraResponseError(url, problem, false),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new PartitionsUnknownError(url, { cause: error, unknown: dataset.unknown });
    }
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
