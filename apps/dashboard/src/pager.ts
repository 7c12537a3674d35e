import type { ListPage } from '@spine/operations';
import { html, type Html } from './html.ts';
import type { ListQuery } from './request-schemas.ts';

/**
 * A list's count and its way around: which rows of how many, the problems-only filter, and the pages before and
 * after. `noun` names the rows (`anomalies`), `problems` the filtered ones (`open warnings and errors`).
 */
export function pager(path: string, list: ListPage<unknown>, query: ListQuery, words: { noun: string; problems: string }): Html {
  const link = (page: number, problems = query.problems) => `${path}?page=${page}${problems === '1' ? '&problems=1' : ''}`;
  const first = list.total === 0 ? 0 : list.offset + 1;
  const last = list.offset + list.rows.length;
  const pages = Math.max(1, Math.ceil(list.total / list.limit));
  const what = query.problems === '1' ? words.problems : words.noun;
  return html`<nav class="pager" data-total="${list.total}">
    <span class="count">${list.total === 0 ? `No ${what}.` : `${first}-${last} of ${list.total} ${what}`}</span>
    ${query.page > 1 ? html`<a href="${link(query.page - 1)}" rel="prev">previous page</a>` : ''}
    ${query.page < pages ? html`<a href="${link(query.page + 1)}" rel="next">next page</a>` : ''}
    ${query.problems === '1' ? html`<a href="${link(1, '0')}" class="filter">show all ${words.noun}</a>` : html`<a href="${link(1, '1')}" class="filter">${words.problems} only</a>`}</nav>`;
}
