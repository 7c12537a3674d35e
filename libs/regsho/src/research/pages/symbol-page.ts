import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { chartFigure } from '@spine/platform/html/chart-spec';
import { html, type Html } from '@spine/platform/html/html';
import { describeIssues } from '@spine/platform/research/describe-issues';
import { addDays, weekEndingOnOrBefore } from '@spine/platform/time/week-ending';
import { notFound, type PageRequest, type ResearchPageContent } from '@spine/platform/research/research-pages';
import { regshoSymbolSchema, symbolDailyQuery, type SymbolDay } from '../schemas.ts';
import { DEFAULT_TRADING_DAYS, symbolDaily } from '../symbol-daily.ts';
import { percent, shares } from './figures.ts';
import { REGSHO_PAGES, symbolPath, weekPath } from './paths.ts';
import { symbolQuestion } from './symbol-question.ts';

/**
 * A symbol's page: its daily off-exchange volume, short against the rest, its short ratio against the 20-trading-day
 * mean, and the days as a table; the API's answer to the same question (regshoSymbolDaily), at a point in time with
 * as_of_published.
 */
export async function symbolPage(pool: Pool, request: PageRequest): Promise<ResearchPageContent> {
  const symbol = regshoSymbolSchema.safeParse(request.params.symbol);
  if (!symbol.success) return notFound('Symbol not found', `No symbol ${String(request.params.symbol)}: ${describeIssues(symbol.error)}`);
  const asked = symbolQuestion(request.query);
  const query = symbolDailyQuery.safeParse(asked);
  if (!query.success) throw new InputError(describeIssues(query.error));
  const { data: days } = await symbolDaily(pool, symbol.data, query.data);
  const asOf = query.data.as_of_published;
  if (days.length === 0) return notFound(`${symbol.data}: no trade dates`, `No trade date of ${symbol.data} is loaded${asOf ? ` as FINRA had published it by ${asOf}` : ''} in this range.`);
  const labels = days.map((d) => d.trade_date);
  const volume = (pick: (d: SymbolDay) => number) => days.map(pick);
  const ratio = (pick: (d: SymbolDay) => number | null) => days.map((d) => { const r = pick(d); return r === null ? null : Math.round(r * 10_000) / 100; });
  return {
    title: `${symbol.data}: daily short-sale volume`,
    charts: true,
    body: html`${asOf ? html`<p class="note" id="as-of">As FINRA had published it by ${asOf}: later files are not shown.</p>` : ''}
      <p class="note">${days.length} trade dates, ${labels[0]} to ${labels.at(-1)}${query.data.from ? '' : days.length < DEFAULT_TRADING_DAYS ? ` (every one loaded; at most the newest ${DEFAULT_TRADING_DAYS} unless a range is asked)` : ` (the newest ${DEFAULT_TRADING_DAYS} unless a range is asked)`},
        summed over FINRA's facilities. <a href="${REGSHO_PAGES}">Another symbol</a></p>
      ${downloads(`${symbolPath(symbol.data)}/download`, asked)}
      <div class="charts">
      ${chartFigure('chart-short-volume', 'Daily volume: short (short-exempt included) and the rest', {
        labels, stacked: true, left: { title: 'shares' },
        series: [
          { label: 'short volume', data: volume((d) => Number(d.short_volume)), stack: 'volume' },
          { label: 'other volume', data: volume((d) => Number(d.total_volume) - Number(d.short_volume)), stack: 'volume' },
        ],
      })}
      ${chartFigure('chart-short-ratio', 'Short ratio and its 20-trading-day mean', {
        labels, left: { title: '% of volume', min: 0, max: 100 },
        series: [
          { label: 'short ratio (%)', type: 'line', data: ratio((d) => d.short_ratio) },
          { label: '20-day mean short ratio (%)', type: 'line', dashed: true, data: ratio((d) => d.avg_short_ratio_20d) },
        ],
      })}
      </div>
      ${daysTable(days)}`,
  };
}

/** The page's days as a file, for the same question (range, point in time). */
function downloads(base: string, query: Record<string, string>): Html {
  const link = (format: string) => `${base}?${new URLSearchParams({ ...query, format }).toString()}`;
  return html`<ul class="downloads" id="downloads"><li>Download these trade dates:</li><li><a href="${link('csv')}" download>CSV</a></li>
    <li><a href="${link('parquet')}" download>Parquet</a></li></ul>`;
}

function daysTable(days: SymbolDay[]): Html {
  // A trade date's week is named by its Friday (a weekday's, so within four days after it).
  const fridayOf = (day: string) => weekEndingOnOrBefore(addDays(day, 4));
  return html`<h2>Trade dates</h2><table id="symbol-days"><tr><th>trade_date</th><th>short volume</th><th>short exempt</th><th>total volume</th>
    <th>short ratio %</th><th>short-exempt share %</th><th>20-day mean %</th><th>days in window</th><th>facilities</th></tr>
    ${[...days].reverse().map((d) => html`<tr data-day="${d.trade_date}"><td><a href="${weekPath(fridayOf(d.trade_date))}" title="the week beside OTC's volume">${d.trade_date}</a></td>
      <td class="num">${shares(d.short_volume)}</td><td class="num">${shares(d.short_exempt_volume)}</td><td class="num">${shares(d.total_volume)}</td>
      <td class="num">${percent(d.short_ratio)}</td><td class="num">${percent(d.short_exempt_share)}</td><td class="num">${percent(d.avg_short_ratio_20d)}</td>
      <td class="num">${d.is_complete ? d.days_in_window : html`<span title="fewer than 20 trading days with volume">${d.days_in_window}</span>`}</td>
      <td>${d.market_codes.join(' ')}</td></tr>`)}</table>`;
}
