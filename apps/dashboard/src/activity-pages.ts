import { Router } from 'express';
import { seriesName } from '@spine/platform';
import { anomalyList, qualityList, qualitySummary } from '@spine/operations';
import { timeTag } from '@spine/platform/html/formats';
import { html } from './html.ts';
import { page } from './page.ts';
import { pager } from './pager.ts';
import { listOptions, parseListQuery, partitionPath } from './request-schemas.ts';
import type { DashboardDeps } from './deps.ts';

/** The home page (coverage), the anomalies and the quality checks, each a counted, paged list. */
export function activityPages(deps: DashboardDeps): Router {
  const pages = Router();
  const { datasets } = deps.queues;
  // A row's dataset, its series in the dataset's words, and the link to its partition page (which names any dataset but the first).
  // Rows of a dataset no longer registered keep its name, and its keys as the first dataset's would show them.
  const title = (dataset: string) => datasets.find(dataset)?.title ?? dataset;
  const series = (r: { dataset: string; tier: string; venue_type: string }) => seriesName(datasets.find(r.dataset) ?? datasets.first, r.tier, r.venue_type);
  const linkOf = (r: { dataset: string; tier: string; venue_type: string; week_ending: string }) => partitionPath(r, r.dataset === datasets.first.name ? undefined : r.dataset);
  pages.get('/', (_req, res) => res.redirect(303, '/coverage'));

  pages.get('/anomalies', page(deps, async (req) => {
    const query = parseListQuery(req);
    const list = await anomalyList(deps.pool, listOptions(query));
    return {
      title: 'Anomalies',
      body: html`${pager('/anomalies', list, query, { noun: 'anomalies', problems: 'open warnings and errors' })}
      <table id="anomalies"><tr><th>detected</th><th>category</th><th>severity</th><th>dataset</th><th>partition</th><th>period</th><th>message</th><th>resolved</th></tr>
      ${list.rows.map((a) => html`<tr><td>${timeTag(a.detected_at)}</td><td>${a.category}</td><td class="${a.severity}">${a.severity}</td><td>${title(a.dataset)}</td>
        <td>${a.tier && a.venue_type ? series({ dataset: a.dataset, tier: a.tier, venue_type: a.venue_type }) : a.tier ?? ''}</td>
        <td>${a.tier && a.venue_type && a.week_ending ? html`<a href="${linkOf({ dataset: a.dataset, tier: a.tier, venue_type: a.venue_type, week_ending: a.week_ending })}">${a.week_ending}</a>` : a.week_ending ?? ''}</td>
        <td>${a.message}</td><td>${timeTag(a.resolved_at)}</td></tr>`)}</table>`,
    };
  }));

  pages.get('/quality', page(deps, async (req) => {
    const query = parseListQuery(req);
    const [list, summary] = await Promise.all([qualityList(deps.pool, listOptions(query)), qualitySummary(deps.pool)]);
    return {
      title: 'Quality checks',
      body: html`<p id="quality-summary">Checks of the newest capture of every partition:
        <span class="PASS">${summary.PASS} passed</span>, <span class="WARN">${summary.WARN} warned</span>, <span class="FAIL">${summary.FAIL} failed</span>.</p>
      ${pager('/quality', list, query, { noun: 'checks', problems: 'warnings and failures' })}
      <table id="quality"><tr><th>period</th><th>dataset</th><th>partition</th><th>check</th><th>status</th><th>message</th><th>checked</th></tr>
      ${list.rows.map((q) => html`<tr><td><a href="${linkOf(q)}">${q.week_ending}</a></td><td>${title(q.dataset)}</td><td>${series(q)}</td><td>${q.check_name}</td>
        <td class="${q.status}">${q.status}</td><td>${q.message}</td><td>${timeTag(q.checked_at)}</td></tr>`)}</table>`,
    };
  }));
  return pages;
}
