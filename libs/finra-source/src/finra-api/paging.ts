import { FinraResponseError } from './errors.ts';

/** POST Data: "The offset has a max value of 500,000." */
export const FINRA_MAX_OFFSET = 500_000;

export interface Page<T> {
  rows: T[];
  /** The Record-Total header: how many records match the query; undefined when the answer did not carry it. */
  recordTotal: number | undefined;
}

/**
 * Yields the pages of an offset/limit query one at a time, requesting the next only when the consumer asks for
 * it, so memory is bounded by one page. FINRA cuts a page at `limit` rows or at 3 MB, whichever comes first, so a
 * short page is not the end: the offset advances by the rows actually received until it reaches Record-Total
 * (Platform Usage Limits). Without that header it pages until an empty page. A total that changes between pages,
 * an empty page before the total, or more rows than the total fail the whole read (retryable: FINRA may have been
 * republishing the week); nothing partial is ever returned as complete.
 */
export async function* readPages<T>(
  describe: string,
  limit: number,
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
): AsyncGenerator<T[], void, undefined> {
  let offset = 0;
  let total: number | undefined;
  for (let pageNumber = 0; ; pageNumber++) {
    if (offset > FINRA_MAX_OFFSET) {
      throw new FinraResponseError(describe, `more than ${FINRA_MAX_OFFSET} rows: beyond FINRA's largest offset, so the query must be split`, false);
    }
    const page = await fetchPage(offset, limit);
    // A server ignoring the limit would make offsets overlap and repeat rows.
    if (page.rows.length > limit) {
      throw new FinraResponseError(describe, `page at offset ${offset} has ${page.rows.length} rows, more than the limit ${limit}`, false);
    }
    if (pageNumber === 0) total = page.recordTotal;
    else if (page.recordTotal !== total) {
      throw new FinraResponseError(describe, `Record-Total changed from ${total ?? 'absent'} to ${page.recordTotal ?? 'absent'} at offset ${offset}: the data changed while it was read`, true);
    }
    if (page.rows.length > 0) yield page.rows;
    offset += page.rows.length;
    if (total === undefined) {
      if (page.rows.length === 0) return;
      continue;
    }
    if (offset === total) return;
    if (offset > total) {
      throw new FinraResponseError(describe, `received ${offset} rows but Record-Total is ${total}: the count does not add up`, true);
    }
    if (page.rows.length === 0) {
      throw new FinraResponseError(describe, `page at offset ${offset} is empty but Record-Total is ${total}: ${total - offset} rows missing`, true);
    }
  }
}

/** Record-Total as a count, undefined when absent; anything else is a protocol error. */
export function parseRecordTotal(header: string | null, describe: string): number | undefined {
  if (header === null) return undefined;
  if (!/^\d+$/.test(header.trim())) throw new FinraResponseError(describe, `Record-Total header ${JSON.stringify(header)} is not a count`, false);
  return Number(header.trim());
}
