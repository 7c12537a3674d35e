import { Router, type Request, type Response } from 'express';
import { InputError, loadLineage, maskSecrets, type ExecutionNode } from '@spine/platform';
import { TIERS, VENUE_TYPES } from '@spine/otc';
import { batchProgress, describeIssues } from '@spine/orchestration';
import { coverageGrid, recentAnomalies, recentBatches, recentQuality } from '@spine/operations';
import { csrfToken } from './csrf.ts';
import { html, layout, type Html } from './html.ts';
import { startBackfill, weeksQuery } from './api.ts';
import { lagReport } from '@spine/scheduling';
import type { DashboardDeps } from './deps.ts';

type Page = (req: Request) => Promise<{ title: string; body: Html }>;

function page(deps: DashboardDeps, build: Page) {
  return async (req: Request, res: Response) => {
    try {
      const { title, body } = await build(req);
      res.type('html').send(layout(title, req.role!, csrfToken(req, deps.sessionSecret), body));
    } catch (error) {
      res.status(error instanceof InputError ? 400 : 500).type('html').send(layout('Error', req.role!, csrfToken(req, deps.sessionSecret), html`<p class="error">${maskSecrets((error as Error).message)}</p>`));
    }
  };
}

function lineageTree(nodes: ExecutionNode[]): Html {
  return html`<ul>${nodes.map((n) => html`<li><strong>${n.stage}</strong> <span class="${n.status === 'failed' ? 'FAIL' : ''}">[${n.status}]</span>
    ${n.tier ?? ''} ${n.week_ending ?? ''} ${n.duration_ms === null ? '' : `${n.duration_ms} ms`} ${typeof n.metrics?.rows === 'number' ? `rows=${n.metrics.rows}` : ''}
    <code>${n.execution_id}</code>${n.job_id ? html` job <code>${n.job_id}</code>` : ''}${n.error ? html` <span class="error">${n.error}</span>` : ''}
    ${n.children.length ? lineageTree(n.children) : ''}</li>`)}</ul>`;
}

export function pagesRouter(deps: DashboardDeps): Router {
  const pages = Router();
  pages.get('/', (_req, res) => res.redirect(303, '/coverage'));

  pages.get('/coverage', page(deps, async (req) => {
    const query = weeksQuery.safeParse(req.query);
    if (!query.success) throw new InputError(describeIssues(query.error));
    const { weeks } = query.data;
    const cells = await coverageGrid(deps.pool, 'otc', TIERS, weeks, 'snapshot', VENUE_TYPES);
    const rows = [...new Set(cells.map((c) => c.week_ending))];
    const columns = TIERS.flatMap((tier) => VENUE_TYPES.map((venueType) => ({ tier, venueType })));
    return {
      title: 'Coverage',
      body: html`<p class="note">Newest ${weeks} weeks; each cell is the state of the week's newest capture of one tier and venue type. Click a cell for its executions.</p>
      <table id="coverage"><tr><th>week_ending</th>${columns.map((c) => html`<th data-tier="${c.tier}" data-venue-type="${c.venueType}">${c.tier} ${c.venueType}</th>`)}</tr>
      ${rows.map((week) => html`<tr><td>${week}</td>${columns.map(({ tier, venueType }) => {
        const c = cells.find((x) => x.week_ending === week && x.tier === tier && x.venue_type === venueType)!;
        const title = Object.entries(c.stages).map(([s, v]) => `${s}: ${v}`).join(', ');
        return html`<td class="${c.state}" data-week="${week}" data-tier="${tier}" data-venue-type="${venueType}" data-state="${c.state}" title="${title}">${c.batch_id
          ? html`<a class="cell" href="/lineage/${c.batch_id}">${c.state}${c.revision && c.revision > 1 ? ` (rev ${c.revision})` : ''}</a>` : c.state}</td>`;
      })}</tr>`)}</table>`,
    };
  }));

  pages.get('/lag', page(deps, async () => {
    const lags = await lagReport(deps.pool, new Date());
    return {
      title: 'Lag',
      body: html`<table id="lag"><tr><th>tier</th><th>venue type</th><th>latest complete</th><th>expected week</th><th>expected at</th><th>missing weeks</th><th>lag (h)</th><th>open alerts</th></tr>
      ${lags.map((l) => html`<tr><td>${l.tier}</td><td>${l.venue_type}</td><td>${l.latest_complete_week ?? '-'}</td><td>${l.expected_week}</td><td>${l.expected_at}</td>
        <td>${l.missing_weeks.join(', ') || '-'}</td><td>${l.lag_hours}</td><td>${l.open_alerts.map((a) => html`<span class="${a.severity}">${a.severity} ${a.week_ending}</span> `)}</td></tr>`)}</table>`,
    };
  }));

  pages.get('/anomalies', page(deps, async () => {
    const [anomalies, quality] = await Promise.all([recentAnomalies(deps.pool), recentQuality(deps.pool)]);
    return {
      title: 'Anomalies and quality',
      body: html`<h2>Recent anomalies</h2><table id="anomalies"><tr><th>detected</th><th>category</th><th>severity</th><th>tier</th><th>venue type</th><th>week</th><th>message</th><th>resolved</th></tr>
      ${anomalies.length === 0 ? html`<tr><td colspan="8" class="note">No anomalies recorded.</td></tr>` : ''}
      ${anomalies.map((a) => html`<tr><td>${new Date(a.detected_at).toISOString()}</td><td>${a.category}</td><td class="${a.severity}">${a.severity}</td><td>${a.tier ?? ''}</td><td>${a.venue_type ?? ''}</td><td>${a.week_ending ?? ''}</td><td>${a.message}</td><td>${a.resolved_at ? new Date(a.resolved_at).toISOString() : ''}</td></tr>`)}</table>
      <h2>Quality checks (newest captures, problems first)</h2><table id="quality"><tr><th>week</th><th>tier</th><th>venue type</th><th>check</th><th>status</th><th>message</th></tr>
      ${quality.map((q) => html`<tr><td>${q.week_ending}</td><td>${q.tier}</td><td>${q.venue_type}</td><td>${q.check_name}</td><td class="${q.status}">${q.status}</td><td>${q.message}</td></tr>`)}</table>`,
    };
  }));

  const batchesPage = (message?: Html) => page(deps, async (req) => {
    const batches = await recentBatches(deps.pool);
    const form = req.role === 'admin'
      ? html`<form method="post" action="/batches" class="inline" id="backfill-form"><input type="hidden" name="_csrf" value="${csrfToken(req, deps.sessionSecret)}">
        <label>Tier <select name="tier"><option>all</option>${TIERS.map((t) => html`<option>${t}</option>`)}</select></label>
        <label>Venue type <select name="venue_type"><option>all</option>${VENUE_TYPES.map((v) => html`<option>${v}</option>`)}</select></label>
        <label>From (Friday) <input name="from" placeholder="2025-11-07" required></label><label>To (Friday) <input name="to" placeholder="2025-12-12" required></label>
        <label>Source <input name="source" value="finra"></label><label><span>Force</span><input type="checkbox" name="force" value="true"></label>
        <button type="submit">Start backfill</button></form>`
      : html`<p class="note">Viewers cannot start backfills.</p>`;
    return {
      title: 'Batches',
      body: html`${message ?? ''}${form}<h2>Recent batches</h2><table id="batches"><tr><th>batch</th><th>kind</th><th>status</th><th>weeks done</th><th>failed</th><th>requested by</th><th>created</th></tr>
      ${batches.map((b) => html`<tr><td><a href="/batches/${b.batch_id}">${b.batch_id}</a></td><td>${b.kind}</td><td>${b.status}</td><td>${b.weeks_done}/${b.weeks_total}</td><td>${b.weeks_failed}</td><td>${b.requested_by ?? ''}</td><td>${new Date(b.created_at).toISOString()}</td></tr>`)}</table>`,
    };
  });
  pages.get('/batches', batchesPage());
  pages.post('/batches', async (req, res, next) => {
    if (req.role !== 'admin') return void res.status(403).type('html').send('viewers cannot start backfills');
    const { force, ...rest } = req.body as Record<string, string>;
    const { status, body } = await startBackfill(deps, { ...rest, force: force === 'true' }, `dashboard:${req.role}`);
    if (status === 400) return batchesPage(html`<p class="error" id="backfill-error">${(body as { error: string }).error}</p>`)(req, res);
    const result = body as { batch_id: string | null; in_flight: unknown[] };
    if (result.batch_id) return res.redirect(303, `/batches/${result.batch_id}`);
    return batchesPage(html`<p class="note" id="backfill-error">Nothing enqueued: ${result.in_flight.length} week(s) already in flight.</p>`)(req, res).catch(next);
  });

  pages.get('/batches/:id', page(deps, async (req) => {
    const id = String(req.params.id);
    const progress = await batchProgress(deps.pool, id, { fetch: deps.queues.fetchQueue, stage: deps.queues.stageQueue });
    if (!progress) return { title: 'Batch not found', body: html`<p class="error">No batch ${id}.</p>` };
    return {
      title: `Batch ${id}`,
      body: html`<p id="batch-progress" data-status="${progress.status}">${progress.kind}: ${progress.status}; weeks ${progress.weeks_done}/${progress.weeks_total} done,
        ${progress.weeks_failed} failed, ${progress.weeks_gated} gated; ${progress.rows_ingested} rows in ${(progress.elapsed_ms / 1000).toFixed(1)} s</p>
        ${progress.failures.length ? html`<ul>${progress.failures.map((f) => html`<li class="error">${f.tier} ${f.week_ending} at ${f.stage}: ${f.error}</li>`)}</ul>` : ''}
        <p><a href="/lineage/${id}">Lineage tree</a> · <a href="/queues">Queues</a></p>`,
    };
  }));

  pages.get('/lineage/:id', page(deps, async (req) => {
    const lineage = await loadLineage(deps.pool, String(req.params.id));
    if (lineage.roots.length === 0) return { title: 'Lineage', body: html`<p class="error">No batch or execution ${req.params.id}.</p>` };
    return { title: `Lineage of ${req.params.id}`, body: html`<p>batch <a href="/batches/${lineage.batchId}">${lineage.batchId}</a></p><div id="lineage">${lineageTree(lineage.roots)}</div>` };
  }));
  return pages;
}
