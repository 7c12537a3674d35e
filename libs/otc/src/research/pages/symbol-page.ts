import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { chartFigure, type ChartSeries } from '@spine/platform/html/chart-spec';
import { html, type Html } from '@spine/platform/html/html';
import { describeIssues } from '@spine/platform/research/describe-issues';
import { notFound, type PageRequest, type ResearchPageContent } from '@spine/platform/research/research-pages';
import { symbolHistoryQuery, symbolSchema } from '../request-schemas.ts';
import type { SymbolWeek } from '../response-schemas.ts';
import { OTHER_VENUES, symbolVenueShares } from '../symbol-venue-shares.ts';
import { downloadLinks, pointInTimeNote, researchQuery } from './links.ts';
import { readAll } from './reads.ts';

/** Venues named in the venue-share chart; the others are summed as OTHER. */
const TOP_VENUES = 6;
/**
 * Weeks of the venue-share chart, the newest of the page's: a symbol's venues are read from each capture's lines,
 * which have no symbol index (it would slow every load), so each week costs a scan of its lines (104 weeks of 8,000
 * lines x 2 venue types: 460 ms; 26 weeks: a quarter of it).
 */
const SHARE_WEEKS = 26;

const number = (value: number | null, digits = 0) => (value === null ? '' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The value of each week of `weeks` from the rows `pick` finds for it, null where none. */
function perWeek(weeks: string[], rows: SymbolWeek[], pick: (row: SymbolWeek) => number | null, where: (row: SymbolWeek) => boolean): (number | null)[] {
  return weeks.map((week) => {
    const values = rows.filter((r) => r.week_ending === week && where(r)).map(pick).filter((v): v is number => v !== null);
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  });
}

/**
 * A symbol's page: weekly volume ATS against non-ATS with the revised weeks marked, each top venue's share of the
 * symbol's volume over time, concentration (HHI) and ATS share, the weekly volume against its rolling 6-week mean,
 * and the weeks as a table; at a point in time with as_of_published / as_of_captured, as the API answers.
 */
export async function symbolPage(pool: Pool, request: PageRequest): Promise<ResearchPageContent> {
  const symbol = symbolSchema.safeParse(request.params.symbol);
  if (!symbol.success) return notFound('Symbol not found', `No symbol ${String(request.params.symbol)}: ${describeIssues(symbol.error)}`);
  const query = researchQuery(request);
  const parsed = symbolHistoryQuery.safeParse(query);
  if (!parsed.success) throw new InputError(describeIssues(parsed.error));
  const { data: rows } = await readAll<SymbolWeek>(pool, 'symbolHistory', { symbol: symbol.data }, query);
  if (rows.length === 0) return notFound(`${symbol.data}: no weeks`, `No week of ${symbol.data} is loaded${parsed.data.tier ? ` in ${parsed.data.tier}` : ''} at this point in time.`);
  const q = parsed.data;
  const weeks = [...new Set(rows.map((r) => r.week_ending))].sort();
  const shareWeeks = weeks.slice(-SHARE_WEEKS);
  const shares = await symbolVenueShares(pool, symbol.data, {
    tiers: q.tier ? [q.tier] : undefined, venueTypes: q.venue_type, from: shareWeeks[0], to: q.to, as_of_published: q.as_of_published, as_of_captured: q.as_of_captured,
  }, TOP_VENUES);
  const ats = (r: SymbolWeek) => r.venue_type === 'ATS';
  const nonAts = (r: SymbolWeek) => r.venue_type === 'NON_ATS';
  const any = () => true;
  const revised = new Set(rows.filter((r) => r.revision > 1).map((r) => r.week_ending));
  const totals = perWeek(weeks, rows, (r) => r.total_volume, any);

  const volume: ChartSeries[] = [
    { label: 'ATS volume', data: perWeek(weeks, rows, (r) => r.total_volume, ats), stack: 'volume' },
    { label: 'non-ATS volume', data: perWeek(weeks, rows, (r) => r.total_volume, nonAts), stack: 'volume' },
    ...(revised.size ? [{ label: 'revised week (served from a later FINRA revision)', type: 'marker' as const, data: weeks.map((w, i) => (revised.has(w) ? totals[i]! : null)) }] : []),
  ];
  const venues = [...new Set(shares.map((s) => s.mpid))].sort((a, b) => (a === OTHER_VENUES ? 1 : b === OTHER_VENUES ? -1 : a.localeCompare(b)));
  const venueShare: ChartSeries[] = venues.map((mpid) => ({
    label: mpid, type: 'line',
    data: shareWeeks.map((week) => {
      const ofWeek = shares.filter((s) => s.week_ending === week);
      const total = ofWeek.reduce((n, s) => n + s.total_volume, 0);
      const mine = ofWeek.filter((s) => s.mpid === mpid).reduce((n, s) => n + s.total_volume, 0);
      return total > 0 ? Math.round((10_000 * mine) / total) / 100 : null;
    }),
  }));
  const firstOf = (pick: (r: SymbolWeek) => number | null) => weeks.map((w) => rows.map((r) => (r.week_ending === w ? pick(r) : null)).find((v) => v !== null) ?? null);
  const concentration: ChartSeries[] = [
    { label: 'HHI, ATS venues', type: 'line', data: perWeek(weeks, rows, (r) => r.hhi, ats) },
    { label: 'HHI, non-ATS venues', type: 'line', data: perWeek(weeks, rows, (r) => r.hhi, nonAts) },
    { label: 'ATS share of volume (%)', type: 'line', right: true, dashed: true, data: firstOf((r) => r.ats_share_pct) },
  ];
  const trend: ChartSeries[] = ['ATS', 'NON_ATS'].flatMap((type) => {
    const of = (r: SymbolWeek) => r.venue_type === type;
    if (!rows.some(of)) return [];
    return [
      { label: `${type} weekly volume`, type: 'line' as const, data: perWeek(weeks, rows, (r) => r.total_volume, of) },
      { label: `${type} rolling 6-week mean`, type: 'line' as const, dashed: true, data: perWeek(weeks, rows, (r) => r.rolling_mean_volume, of) },
    ];
  });
  // The contract view's HHI is v1's 0..1 or, once v2 is promoted, 0..10,000 (an HHI of at most 1 point would take
  // 10,000 venues of equal share): the axis follows the scale served.
  const hhiMax = rows.some((r) => (r.hhi ?? 0) > 1) ? 10_000 : 1;
  const newest = rows.filter((r) => r.week_ending === weeks.at(-1));
  return {
    title: `${symbol.data}: ${rows[0]!.issue_name}`,
    charts: true,
    body: html`${pointInTimeNote(q)}
      <p class="note">${weeks.length} weeks, ${weeks[0]} to ${weeks.at(-1)}${q.tier ? `, ${q.tier}` : ''}. Newest week's trend:
        ${newest.map((r) => html`${r.venue_type} ${r.trend_direction ?? 'n/a'}${r.trend_pct === null ? '' : ` (${number(r.trend_pct, 1)}%)`} `)}</p>
      ${downloadLinks(`/research/symbols/${encodeURIComponent(symbol.data)}/download`, query, ['symbol_summary', 'venue_volume'])}
      <div class="charts">
      ${chartFigure('chart-volume', 'Weekly volume, ATS and non-ATS (revised weeks marked)', { labels: weeks, series: volume, stacked: true, left: { title: 'shares' } })}
      ${chartFigure('chart-venue-share', `Share of the symbol's volume by venue (top ${TOP_VENUES}, the rest as OTHER${weeks.length > SHARE_WEEKS ? `; the last ${SHARE_WEEKS} weeks` : ''})`,
        { labels: shareWeeks, series: venueShare, left: { title: '% of volume', max: 100 } })}
      ${chartFigure('chart-concentration', 'Venue concentration (HHI) and ATS share', { labels: weeks, series: concentration, left: { title: 'HHI', max: hhiMax }, right: { title: 'ATS share %', max: 100 } })}
      ${chartFigure('chart-trend', 'Weekly volume and its rolling 6-week mean', { labels: weeks, series: trend, left: { title: 'shares' } })}
      </div>
      ${weeksTable(rows)}`,
  };
}

function weeksTable(rows: SymbolWeek[]): Html {
  return html`<h2>Weeks</h2><table id="symbol-weeks"><tr><th>week_ending</th><th>tier</th><th>venue type</th><th>volume</th><th>trades</th><th>venues</th><th>HHI</th>
    <th>top venue</th><th>its share %</th><th>ATS share %</th><th>rolling 6w mean</th><th>trend</th><th>quality</th><th>revision</th></tr>
    ${[...rows].reverse().map((r) => html`<tr data-week="${r.week_ending}" data-venue-type="${r.venue_type}"><td><a href="/research/weeks/${r.week_ending}/${r.tier}">${r.week_ending}</a></td>
      <td>${r.tier}</td><td>${r.venue_type}</td><td class="num">${number(r.total_volume)}</td><td class="num">${number(r.total_trades)}</td><td class="num">${r.venue_count}</td>
      <td class="num">${number(r.hhi, 4)}</td><td>${r.top_mpid}</td><td class="num">${number(r.top_venue_share_pct, 2)}</td><td class="num">${number(r.ats_share_pct, 2)}</td>
      <td class="num">${number(r.rolling_mean_volume)}</td><td>${r.trend_direction ?? ''}${r.trend_pct === null ? '' : ` ${number(r.trend_pct, 1)}%`}</td>
      <td class="${r.quality_status}">${r.quality_status}</td><td class="num">${r.revision > 1 ? html`<strong title="a later FINRA revision">${r.revision}</strong>` : r.revision}</td></tr>`)}</table>`;
}
