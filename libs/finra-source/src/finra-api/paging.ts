import { FinraResponseError } from './errors.ts';

/**
 * Yields the pages of an offset/limit query one at a time, requesting the next only when the consumer asks for it,
 * so memory is bounded by one page. Stops after the first page shorter than the limit (which may be empty when the
 * row count is a multiple of the limit).
 */
export async function* readPages<T>(
  url: string,
  limit: number,
  fetchPage: (offset: number, limit: number) => Promise<T[]>,
): AsyncGenerator<T[], void, undefined> {
  for (let offset = 0; ; offset += limit) {
    const page = await fetchPage(offset, limit);
    // A server ignoring the limit would make offsets overlap and repeat rows.
    if (page.length > limit) {
      throw new FinraResponseError(url, `page at offset ${offset} has ${page.length} rows, more than the limit ${limit}`, false);
    }
    yield page;
    if (page.length < limit) return;
  }
}
