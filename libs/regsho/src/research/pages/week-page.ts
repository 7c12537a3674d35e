import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { html } from '@spine/platform/html/html';
import { describeIssues } from '@spine/platform/research/describe-issues';
import { notFound, type PageRequest, type ResearchPageContent } from '@spine/platform/research/research-pages';
import { weekEndingSchema, weekResearchQuery } from '../schemas.ts';
import { weekResearch } from '../week-research.ts';
import { percent, shares } from './figures.ts';
import { REGSHO_PAGES, symbolPath, weekPath } from './paths.ts';

/** Symbols a page lists: a week has thousands, read a page at a time as the API pages them. */
const PAGE_SIZE = 200;

/**
 * A week's short-sale volume per symbol beside OTC's ATS and non-ATS volume and ATS share (the API's
 * regshoWeekResearch), by symbol, a page at a time; `symbol` narrows it to one.
 */
export async function weekPage(pool: Pool, request: PageRequest): Promise<ResearchPageContent> {
  const week = weekEndingSchema.safeParse(request.params.week_ending);
  if (!week.success) return notFound('Week not found', `No week ${String(request.params.week_ending)}: ${describeIssues(week.error)}`);
  const text = (name: string) => (typeof request.query[name] === 'string' && request.query[name] !== '' ? request.query[name] : undefined);
  const query = weekResearchQuery.safeParse({ symbol: text('symbol'), page_token: text('page_token'), page_size: String(PAGE_SIZE) });
  if (!query.success) throw new InputError(describeIssues(query.error));
  const answer = await weekResearch(pool, week.data, query.data);
  if (answer.data.length === 0 && !query.data.page_token) {
    return notFound(`Week ending ${week.data}: no data`, `No Reg SHO trade date of the week ending ${week.data} is loaded${query.data.symbol ? ` for ${query.data.symbol}` : ''}.`);
  }
  const next = answer.next_page_token
    ? `${weekPath(week.data)}?${new URLSearchParams({ ...(query.data.symbol ? { symbol: query.data.symbol } : {}), page_token: answer.next_page_token }).toString()}`
    : undefined;
  return {
    title: `Week ending ${week.data}: short-sale volume beside OTC's ATS volume`,
    body: html`<p class="note">Reg SHO's short volume of the week's trade dates per symbol, beside OTC's weekly ATS and non-ATS volume of the same
        week (empty where OTC has not loaded it). <a href="${REGSHO_PAGES}">Reg SHO research</a></p>
      <form class="inline" method="get" action="${weekPath(week.data)}"><label>Symbol <input name="symbol" value="${query.data.symbol ?? ''}"></label>
        <button type="submit">Only this symbol</button></form>
      <table id="week-symbols"><tr><th>symbol</th><th>trading days</th><th>short volume</th><th>total volume</th><th>short ratio %</th>
        <th>OTC ATS volume</th><th>OTC non-ATS volume</th><th>ATS share %</th><th>tiers</th></tr>
      ${answer.data.map((r) => html`<tr data-symbol="${r.symbol}"><td><a href="${symbolPath(r.symbol)}">${r.symbol}</a></td><td class="num">${r.trading_days}</td>
        <td class="num">${shares(r.short_volume)}</td><td class="num">${shares(r.total_volume)}</td><td class="num">${percent(r.short_ratio)}</td>
        <td class="num">${shares(r.ats_volume)}</td><td class="num">${shares(r.non_ats_volume)}</td>
        <td class="num">${r.ats_share_pct === null ? '' : r.ats_share_pct.toFixed(2)}</td><td>${(r.tiers ?? []).join(' ')}</td></tr>`)}</table>
      <nav class="pager">${next ? html`<a href="${next}" id="next-page">Next ${PAGE_SIZE} symbols</a>` : html`<span class="note">The last symbols of the week.</span>`}</nav>`,
  };
}
