import { Router } from 'express';
import * as z from 'zod';
import { InputError, seriesName, type DatasetRegistry } from '@spine/platform';
import { describeIssues } from '@spine/orchestration';
import { COVERAGE_STATES, lagOverview, type LagRow, type LateWeeks, lagText } from '@spine/operations';
import { timeTag } from '@spine/platform/html/formats';
import { html, type Html } from './html.ts';
import { page } from './page.ts';
import { partitionPath } from './request-schemas.ts';
import type { DashboardDeps } from './deps.ts';

const lagQuery = z.object({ missing: z.enum(['0', '1']).default('0') });
const LABELS = new Map(COVERAGE_STATES.map((s) => [s.state, s.label]));

function late(weeks: LateWeeks | null): Html | string {
  if (weeks === null) return html`<span class="note" title="the source cannot list its weeks">?</span>`;
  if (weeks.count === 0) return '-';
  return html`${weeks.count}, the oldest ${weeks.oldest} <strong>${lagText(weeks.late_hours)}</strong> late`;
}

/**
 * Per schedule, how late the data is, the source's lateness (weeks it has not published) apart from this system's
 * (published weeks not loaded), each counted from its own oldest week; on demand a row per missing partition.
 */
export function lagPage(deps: DashboardDeps): Router {
  const pages = Router();
  pages.get('/lag', page(deps, async (req) => {
    const query = lagQuery.safeParse(req.query);
    if (!query.success) throw new InputError(describeIssues(query.error));
    const lags = await lagOverview(deps.pool, new Date(), deps.publication, deps.onLookupError);
    const { datasets } = deps.queues;
    const missing = lags.reduce((n, l) => n + l.missing.length, 0);
    const detail = query.data.missing === '1';
    return {
      title: 'Lag',
      body: html`<p class="note">Not published: FINRA is late, nothing to do here but wait. Not loaded: FINRA has the week and this system does not:
        look at its partition (failed? never enqueued?) and retry or backfill it. Lateness counts from when the oldest such week was expected.</p>
      <table id="lag"><tr><th>dataset</th><th>partition</th><th>latest complete</th><th>expected period</th><th>expected at</th><th>not published (the source's lateness)</th>
        <th>not loaded (ours)</th><th>open alerts</th></tr>
      ${lags.map((l) => html`<tr data-dataset="${l.dataset}" data-tier="${l.tier}" data-venue-type="${l.venue_type}"><td>${datasets.get(l.dataset).title}</td><td>${seriesName(datasets.get(l.dataset), l.tier, l.venue_type)}</td><td>${l.latest_complete_week ?? '-'}</td>
        <td>${l.expected_week}</td><td>${timeTag(l.expected_at)}</td><td class="not-published">${late(l.not_published)}</td><td class="not-loaded">${late(l.not_loaded)}</td>
        <td>${l.open_alerts.map((a) => html`<span class="${a.severity}">${a.severity} ${a.week_ending}</span> `)}</td></tr>`)}</table>
      ${missing === 0 ? html`<p class="note">Every due partition has arrived.</p>`
        : detail ? missingTable(datasets, lags) : html`<p><a href="/lag?missing=1" id="show-missing">Show the ${missing} missing partition(s), one row each</a></p>`}`,
    };
  }));
  return pages;
}

function missingTable(datasets: DatasetRegistry, lags: LagRow[]): Html {
  const rows = lags.flatMap((l) => l.missing);
  const first = datasets.first.name;
  return html`<h2>Missing partitions: ${rows.length}</h2><p><a href="/lag">Hide them</a></p>
    <table id="missing"><tr><th>dataset</th><th>partition</th><th>period</th><th>expected</th><th>late by</th><th>whose</th><th>state</th></tr>
    ${rows.map((m) => html`<tr data-state="${m.state}"><td>${datasets.get(m.dataset).title}</td><td>${seriesName(datasets.get(m.dataset), m.tier, m.venue_type)}</td>
      <td><a href="${partitionPath(m, m.dataset === first ? undefined : m.dataset)}">${m.week_ending}</a></td>
      <td>${timeTag(m.expected_at)}</td><td class="num">${lagText(m.late_hours)}</td><td>${m.state === 'not_published' ? 'the source' : 'ours'}</td>
      <td class="${m.state}">${LABELS.get(m.state)}</td></tr>`)}</table>`;
}
