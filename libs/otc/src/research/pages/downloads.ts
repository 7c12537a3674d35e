import { InputError } from '@spine/platform/errors';
import { describeIssues } from '@spine/platform/research/describe-issues';
import type { PageRequest, ResearchFile } from '@spine/platform/research/research-pages';
import { downloadTable } from '../export-download.ts';
import { EXPORT_TABLES } from '../export-tables.ts';
import { downloadQuery, fridaySchema, symbolSchema, type DownloadRequest } from '../request-schemas.ts';

function parse(request: PageRequest, extra: Record<string, string>): DownloadRequest {
  const query = downloadQuery.safeParse({ ...request.query, ...extra });
  if (!query.success) throw new InputError(describeIssues(query.error));
  return query.data;
}

/** The file of a download question: one table of `spine export` for the captures it selects, streamed as it is read. */
function fileOf(request: DownloadRequest, name: string): ResearchFile {
  return { name, format: request.format, table: request.table, write: (pool, sink) => downloadTable(pool, request, sink) };
}

/*
 * The research pages' downloads, the tables of `spine export` as one CSV or Parquet file each, at the same point in
 * time as the page. A bad question is an InputError, which the dashboard answers 400 before anything is sent.
 */

/** A symbol's rows (symbol_summary, venue_volume) over its weeks. */
export function symbolDownload(page: PageRequest): ResearchFile {
  const symbol = symbolSchema.safeParse(page.params.symbol);
  if (!symbol.success) throw new InputError(`symbol: ${describeIssues(symbol.error)}`);
  const request = { ...parse(page, {}), symbol: symbol.data };
  if (!EXPORT_TABLES[request.table].bySymbol) throw new InputError(`table: ${request.table} has no symbol column; a symbol offers symbol_summary and venue_volume`);
  return fileOf(request, `${symbol.data}_${request.table}${request.tier ? `_${request.tier}` : ''}`);
}

/** A week's rows for a tier (venue_share, symbol_summary, venue_volume). */
export function weekDownload(page: PageRequest): ResearchFile {
  const week = fridaySchema.safeParse(page.params.week_ending);
  if (!week.success) throw new InputError(`week_ending: ${describeIssues(week.error)}`);
  const request = parse(page, { tier: String(page.params.tier), from: week.data, to: week.data });
  return fileOf(request, `${request.tier}_${week.data}_${request.table}`);
}
