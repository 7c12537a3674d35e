import { Readable } from 'node:stream';
import { tierApiIdentifier } from '@spine/otc/tiers';
import { z } from 'zod';
import { SourceNotFoundError, type FinraSource, type SourceObject, type WeekRequest } from '../source.ts';
import { weekStartDate } from '../week-dates.ts';
import { FinraResponseError } from './errors.ts';
import { withRetries } from './http-retry.ts';
import { postJsonQuery } from './json-request.ts';
import { OAuthTokenCache } from './oauth-token.ts';
import { finraApiOptionsSchema, type FinraApiOptions, type ResolvedFinraApiOptions } from './options.ts';
import { readPages } from './paging.ts';
import { FINRA_FILE_HEADER, formatRowLine, weeklySummaryRowSchema, type WeeklySummaryRow } from './row-format.ts';

export const WEEKLY_SUMMARY_PATH = '/data/group/otcMarket/name/weeklySummary';

const pageSchema = z.array(weeklySummaryRowSchema);

/** The FINRA Query API's otcMarket/weeklySummary dataset, one week x tier x summary type per request. */
export class FinraApiSource implements FinraSource {
  readonly kind = 'finra';
  readonly #options: ResolvedFinraApiOptions;
  readonly #queryUrl: string;
  readonly #tokens: OAuthTokenCache | undefined;

  constructor(options: FinraApiOptions) {
    // The schema strips the onRetry callback, which is not data; put it back.
    this.#options = { ...finraApiOptionsSchema.parse(options), onRetry: options.onRetry };
    this.#queryUrl = `${this.#options.baseUrl.replace(/\/+$/, '')}${WEEKLY_SUMMARY_PATH}`;
    const { tokenUrl, clientId, clientSecret } = this.#options;
    this.#tokens = clientId && clientSecret ? new OAuthTokenCache({ tokenUrl, clientId, clientSecret }) : undefined;
  }

  describe(): string {
    return `finra:${this.#options.baseUrl}${this.#tokens ? ' (OAuth2)' : ''}`;
  }

  /**
   * Fetches the first page before resolving, so an unpublished week rejects here with SourceNotFoundError; the
   * remaining pages are fetched as the body is read.
   */
  async openWeek({ tier, weekEnding }: WeekRequest, signal?: AbortSignal): Promise<SourceObject> {
    const filters = {
      weekStartDate: weekStartDate(weekEnding),
      tierIdentifier: tierApiIdentifier(tier),
      summaryTypeCode: this.#options.summaryTypeCode,
    };
    const sourceUri = `${this.#queryUrl}?${new URLSearchParams(filters)}`;
    const compareFilters = Object.entries(filters).map(([fieldName, fieldValue]) => ({ compareType: 'EQUAL', fieldName, fieldValue }));

    const pages = readPages(sourceUri, this.#options.pageSize, (offset, limit) =>
      this.#fetchPage({ compareFilters, limit, offset }, sourceUri, signal),
    );
    const first = await pages.next();
    if (first.done || first.value.length === 0) {
      await pages.return();
      throw new SourceNotFoundError(tier, weekEnding, sourceUri);
    }
    return { body: Readable.from(fileChunks(first.value, pages), { objectMode: false }), sourceUri };
  }

  async #fetchPage(query: object, sourceUri: string, signal: AbortSignal | undefined): Promise<WeeklySummaryRow[]> {
    const json = await withRetries(
      this.#queryUrl,
      this.#options,
      (attemptSignal) => postJsonQuery(this.#queryUrl, query, attemptSignal, this.#tokens),
      signal,
    );
    const page = pageSchema.safeParse(json);
    if (!page.success) {
      throw new FinraResponseError(sourceUri, `expected an array of weeklySummary rows: ${z.prettifyError(page.error)}`, false);
    }
    return page.data;
  }
}

/** The download file: the header, then one chunk of lines per page as the pages arrive. */
async function* fileChunks(firstPage: WeeklySummaryRow[], morePages: AsyncIterable<WeeklySummaryRow[]>): AsyncGenerator<Buffer> {
  yield Buffer.from(`${FINRA_FILE_HEADER}\n${pageLines(firstPage)}`);
  for await (const page of morePages) {
    if (page.length > 0) yield Buffer.from(pageLines(page));
  }
}

function pageLines(rows: WeeklySummaryRow[]): string {
  return rows.map((row) => `${formatRowLine(row)}\n`).join('');
}
