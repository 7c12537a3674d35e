import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { chartFigure } from '@spine/platform/html/chart-spec';
import { html, type Html } from '@spine/platform/html/html';
import { describeIssues } from '@spine/platform/research/describe-issues';
import { notFound, type PageRequest, type ResearchPageContent } from '@spine/platform/research/research-pages';
import { concentrationDistribution } from '../concentration-distribution.ts';
import { fridaySchema, weekTierQuery } from '../request-schemas.ts';
import type { VenueWeek } from '../response-schemas.ts';
import { downloadLinks, pointInTimeNote, researchQuery } from './links.ts';
import { readAll } from './reads.ts';

/** Venues in the market-share chart (the table lists them all). */
const CHART_VENUES = 15;
/** Bands of HHI from 0 to 1 in the concentration distribution. */
const HHI_BANDS = 10;

/**
 * A week of a tier: its venues' market shares (the largest as a chart, all in the table) and how concentrated its
 * symbols' trading is across venues (the distribution of their HHI), per venue type, at a point in time when asked.
 */
export async function weekPage(pool: Pool, request: PageRequest): Promise<ResearchPageContent> {
  const week = fridaySchema.safeParse(request.params.week_ending);
  if (!week.success) return notFound('Week not found', `No week ${String(request.params.week_ending)}: ${describeIssues(week.error)}`);
  const query = { ...researchQuery(request), tier: String(request.params.tier) };
  const parsed = weekTierQuery.safeParse(query);
  if (!parsed.success) throw new InputError(describeIssues(parsed.error));
  const q = parsed.data;
  const { data: venues } = await readAll<VenueWeek>(pool, 'weekVenues', { week_ending: week.data }, query);
  if (venues.length === 0) return notFound(`${q.tier}, week ending ${week.data}: not loaded`, `No capture of ${q.tier} for the week ending ${week.data} is served at this point in time.`);
  const bands = await concentrationDistribution(pool, {
    tiers: [q.tier], venueTypes: q.venue_type, from: week.data, to: week.data, as_of_published: q.as_of_published, as_of_captured: q.as_of_captured,
  }, HHI_BANDS);
  const leaders = [...venues].sort((a, b) => b.total_volume - a.total_volume).slice(0, CHART_VENUES);
  const venueTypes = [...new Set(bands.map((b) => b.venue_type))];
  const bandLabels = [...new Set(bands.map((b) => `${b.hhi_from.toFixed(1)}-${(b.hhi_from + 1 / HHI_BANDS).toFixed(1)}`))];
  const revisions = [...new Map(venues.map((v) => [v.venue_type, v.revision])).entries()];
  return {
    title: `${q.tier}, week ending ${week.data}`,
    charts: true,
    body: html`${pointInTimeNote(q)}
      <p class="note">${venues.length} venues. Served revisions: ${revisions.map(([type, revision]) => `${type} ${revision}`).join(', ')}.
        Market share is of the venue type's volume that week.</p>
      ${downloadLinks(`/research/weeks/${week.data}/${q.tier}/download`, researchQuery(request), ['venue_share', 'symbol_summary', 'venue_volume'])}
      <div class="charts">
      ${chartFigure('chart-venues', `Market share of the ${leaders.length} largest venues`, {
        labels: leaders.map((v) => `${v.mpid} (${v.venue_type})`), horizontal: true,
        series: [{ label: 'market share %', data: leaders.map((v) => v.market_share_pct) }], left: { title: '% of the venue type\'s volume' },
      })}
      ${chartFigure('chart-hhi-distribution', 'Concentration: symbols by HHI of their venues', {
        labels: bandLabels,
        series: venueTypes.map((type) => ({ label: `${type} symbols`, data: bands.filter((b) => b.venue_type === type).map((b) => b.symbols) })),
        left: { title: 'symbols' },
      })}
      </div>
      ${venueTable(venues)}`,
  };
}

function venueTable(venues: VenueWeek[]): Html {
  return html`<h2>Venues</h2><table id="week-venues"><tr><th>venue type</th><th>rank</th><th>MPID</th><th>name</th><th>volume</th><th>trades</th><th>symbols</th><th>market share %</th></tr>
    ${venues.map((v) => html`<tr data-mpid="${v.mpid}"><td>${v.venue_type}</td><td class="num">${v.volume_rank}</td><td>${v.mpid}</td><td>${v.market_participant_name}</td>
      <td class="num">${v.total_volume.toLocaleString('en-US')}</td><td class="num">${v.total_trades.toLocaleString('en-US')}</td><td class="num">${v.symbol_count}</td>
      <td class="num">${v.market_share_pct.toFixed(2)}</td></tr>`)}</table>`;
}
