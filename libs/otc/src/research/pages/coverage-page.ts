import * as z from 'zod';
import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { timeTag } from '@spine/platform/html/formats';
import { html, type Html } from '@spine/platform/html/html';
import { calculationFreshness } from '@spine/platform/research/calculation-freshness';
import { describeIssues } from '@spine/platform/research/describe-issues';
import type { PageRequest, ResearchPageContent } from '@spine/platform/research/research-pages';
import { addWeeks } from '@spine/platform/time/week-ending';
import { TIERS } from '../../tiers.ts';
import { VENUE_TYPES } from '../../venue-types.ts';
import { fridaySchema } from '../request-schemas.ts';
import type { Partition } from '../response-schemas.ts';
import { readAll } from './reads.ts';

const gridQuery = z.object({ weeks: z.coerce.number().int().min(1).max(260).default(12), until: fridaySchema.optional() });


/**
 * The research persona's coverage: per week (newest first) and tier x venue type, the quality grade of the capture
 * answers read, its revision, and when its figures were last calculated; per column the newest week available.
 * Every cell opens the tier-week page. A symbol's page is one form away.
 */
export async function coveragePage(pool: Pool, request: PageRequest): Promise<ResearchPageContent> {
  const query = gridQuery.safeParse(request.query);
  if (!query.success) throw new InputError(describeIssues(query.error));
  // OTC's partition keys are the grid's columns, tier x venue type.
  const columns = TIERS.flatMap((tier) => VENUE_TYPES.map((venue_type) => ({ tier, venue_type })));
  const { data: partitions } = await readAll<Partition>(pool, 'listPartitions', {}, {});
  const served = partitions.filter((p) => p.capture_id !== null);
  const until = query.data.until ?? partitions.at(-1)?.week_ending;
  const form = html`<form method="get" action="/research/symbol" class="inline" id="symbol-form"><label>Symbol <input name="symbol" required maxlength="20" placeholder="AAPL"></label>
    <label>Tier (optional) <select name="tier"><option value="">all</option>${TIERS.map((t) => html`<option>${t}</option>`)}</select></label><button type="submit">Open</button></form>`;
  if (!until) return { title: 'Research', body: html`${form}<p class="note" id="research-coverage">Nothing is loaded yet.</p>` };
  const weeks = Array.from({ length: query.data.weeks }, (_, i) => addWeeks(until, -i));
  const shown = partitions.filter((p) => p.week_ending >= weeks.at(-1)! && p.week_ending <= until);
  const freshness = new Map((await calculationFreshness(pool, shown.flatMap((p) => (p.capture_id ? [p.capture_id] : [])))).map((f) => [f.capture_id, f]));
  const cellOf = new Map(shown.map((p) => [`${p.week_ending}|${p.tier}|${p.venue_type}`, p]));
  const latest = (tier: string, venueType: string) => served.filter((p) => p.tier === tier && p.venue_type === venueType).at(-1);

  const cell = (week: string, tier: string, venueType: string): Html => {
    const p = cellOf.get(`${week}|${tier}|${venueType}`);
    if (!p) return html`<td class="grade not_due" data-week="${week}" data-tier="${tier}" data-venue-type="${venueType}">-</td>`;
    const calc = p.capture_id ? freshness.get(p.capture_id) : undefined;
    const pending = p.status !== 'complete' ? html`<br><span class="note" title="the newest capture is ${p.status}; answers read the one before">newest: ${p.status}</span>` : '';
    return html`<td class="grade ${p.quality_status ?? p.status}" data-week="${week}" data-tier="${tier}" data-venue-type="${venueType}" data-grade="${p.quality_status ?? ''}"
      title="${calc ? `calculated by ${calc.calculations.join(', ')}` : ''}">${p.capture_id
        ? html`<a href="/research/weeks/${week}/${tier}?venue_type=${venueType}">${p.quality_status ?? 'no checks'}</a> rev ${p.revision}<br>
          <span class="note">calc ${calc?.calculated_at ? timeTag(calc.calculated_at) : 'running'}</span>`
        : p.status}${pending}</td>`;
  };
  return {
    title: 'Research',
    body: html`${form}
      <p class="note">The quality grade of the capture every answer reads (PASS, WARN, FAIL: the worst of its checks), its revision, and when its
        figures were last calculated (a revision of an earlier week recalculates the rolling figures of the weeks after it).
        Open a cell for the week's venues and concentration.</p>
      <nav class="pager"><a href="/research?weeks=${query.data.weeks}&amp;until=${addWeeks(weeks.at(-1)!, -1)}" rel="next">older weeks</a>
        <a href="/research/operations">Load lag and queue throughput</a></nav>
      <table id="research-coverage"><tr><th>week_ending</th>${columns.map((c) => html`<th>${c.tier} ${c.venue_type}</th>`)}</tr>
      <tr id="latest-available"><th>latest available</th>${columns.map((c) => {
        const p = latest(c.tier, c.venue_type);
        return html`<td class="grade">${p ? html`${p.week_ending}<br><span class="note">published ${p.published_on ?? '?'}</span>` : 'none'}</td>`;
      })}</tr>
      ${weeks.map((week) => html`<tr><td>${week}</td>${columns.map((c) => cell(week, c.tier, c.venue_type))}</tr>`)}</table>`,
  };
}
