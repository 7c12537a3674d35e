import type { Pool } from '@spine/platform/db/pool';
import { html } from '@spine/platform/html/html';
import type { ResearchPageContent } from '@spine/platform/research/research-pages';
import { FACILITIES, type MarketCode } from '../../facilities.ts';
import { REGSHO_PAGES, weekPath } from './paths.ts';

/** Weeks the page links to, newest first. */
const WEEKS_LISTED = 12;

interface Loaded {
  first_day: string | null;
  last_day: string | null;
  days: number;
  market_codes: string[] | null;
  weeks: string[] | null;
}

/**
 * What is loaded: the trade dates of the newest captures (regsho_captures_as_of(NULL), one per facility and day, read
 * once), the facilities, and the newest weeks (named by their Friday, as OTC's). Parameters: how many weeks. Result: one row.
 */
async function loaded(pool: Pool): Promise<Loaded> {
  const { rows } = await pool.query<Loaded>(
    `WITH caps AS MATERIALIZED (SELECT trade_date, market_code FROM regsho_captures_as_of(NULL))
     SELECT to_char(min(trade_date), 'YYYY-MM-DD') AS first_day, to_char(max(trade_date), 'YYYY-MM-DD') AS last_day,
            count(DISTINCT trade_date)::int AS days, array_agg(DISTINCT market_code ORDER BY market_code) AS market_codes,
            (SELECT array_agg(w ORDER BY w DESC) FROM (
               SELECT DISTINCT to_char(trade_date + (5 - extract(isodow FROM trade_date))::int, 'YYYY-MM-DD') AS w
                 FROM caps ORDER BY 1 DESC LIMIT $1) n) AS weeks
       FROM caps`,
    [WEEKS_LISTED],
  );
  return rows[0]!;
}

/** Reg SHO's research landing: what is loaded, a symbol's page by its symbol, and the newest weeks beside OTC's volume. */
export async function landingPage(pool: Pool): Promise<ResearchPageContent> {
  const now = await loaded(pool);
  return {
    title: 'Reg SHO daily short-sale volume',
    body: html`<p class="note" id="loaded">${now.days === 0 ? 'No trade date is loaded yet.'
      : `${now.days} trade ${now.days === 1 ? 'date' : 'dates'} loaded, ${now.first_day} to ${now.last_day}, from ${(now.market_codes ?? []).map((code) => `${code} (${FACILITIES[code as MarketCode]?.name ?? code})`).join(', ')}.`}</p>
      <form class="inline" method="get" action="${REGSHO_PAGES}/symbol" id="symbol-form">
        <label>Symbol <input name="symbol" required placeholder="AAPL"></label>
        <label>From <input name="from" type="date"></label><label>To <input name="to" type="date"></label>
        <label>As FINRA had published it by <input name="as_of_published" type="date"></label>
        <button type="submit">Show the symbol</button></form>
      <h2>Weeks beside OTC's ATS volume</h2>
      ${now.weeks?.length ? html`<ul id="weeks">${now.weeks.map((week) => html`<li><a href="${weekPath(week)}">week ending ${week}</a></li>`)}</ul>` : html`<p class="note">None yet.</p>`}`,
  };
}
