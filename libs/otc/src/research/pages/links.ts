import { html, type Html } from '@spine/platform/html/html';
import type { PageRequest } from '@spine/platform/research/research-pages';

/** The parameters of a research question the pages pass on (to the API's schemas, to their download links). */
const QUESTION_PARAMS = ['tier', 'venue_type', 'from', 'to', 'as_of_published', 'as_of_captured'] as const;

/** The request's research parameters, strings only (a repeated parameter is the schema's to refuse). */
export function researchQuery(request: PageRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const name of QUESTION_PARAMS) {
    const value = request.query[name];
    if (value !== undefined) query[name] = typeof value === 'string' ? value : String(value);
  }
  return query;
}

/** Which point in time the page shows, when not the newest captures. */
export function pointInTimeNote(asOf: { as_of_published?: string; as_of_captured?: string }): Html | string {
  if (asOf.as_of_published) return html`<p class="note" id="as-of">As FINRA had published it by ${asOf.as_of_published}: later revisions are not shown.</p>`;
  if (asOf.as_of_captured) return html`<p class="note" id="as-of">As this system had captured it by ${asOf.as_of_captured}.</p>`;
  return '';
}

/** CSV and Parquet downloads of `tables` at `base`, for the same question (range, filters, point in time) as the page. */
export function downloadLinks(base: string, query: Record<string, string>, tables: readonly string[]): Html {
  const link = (table: string, format: string) => `${base}?${new URLSearchParams({ ...query, table, format }).toString()}`;
  return html`<ul class="downloads" id="downloads"><li>Download:</li>${tables.map((table) => html`<li>${table}
    <a href="${link(table, 'csv')}" download>CSV</a> <a href="${link(table, 'parquet')}" download>Parquet</a></li>`)}</ul>`;
}
