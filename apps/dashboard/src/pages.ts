import { Router } from 'express';
import { loadLineage, type ExecutionNode } from '@spine/platform';
import { recentAnomalies, recentQuality } from '@spine/operations';
import { html, type Html } from './html.ts';
import { page } from './page.ts';
import type { DashboardDeps } from './deps.ts';

function lineageTree(nodes: ExecutionNode[]): Html {
  return html`<ul>${nodes.map((n) => html`<li><strong>${n.stage}</strong> <span class="${n.status === 'failed' ? 'FAIL' : ''}">[${n.status}]</span>
    ${n.tier ?? ''} ${n.week_ending ?? ''} ${n.duration_ms === null ? '' : `${n.duration_ms} ms`} ${typeof n.metrics?.rows === 'number' ? `rows=${n.metrics.rows}` : ''}
    <code>${n.execution_id}</code>${n.job_id ? html` job <code>${n.job_id}</code>` : ''}${n.error ? html` <span class="error">${n.error}</span>` : ''}
    ${n.children.length ? lineageTree(n.children) : ''}</li>`)}</ul>`;
}

export function pagesRouter(deps: DashboardDeps): Router {
  const pages = Router();
  pages.get('/', (_req, res) => res.redirect(303, '/coverage'));

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

  pages.get('/lineage/:id', page(deps, async (req) => {
    const lineage = await loadLineage(deps.pool, String(req.params.id));
    if (lineage.roots.length === 0) return { title: 'Lineage', body: html`<p class="error">No batch or execution ${req.params.id}.</p>` };
    return { title: `Lineage of ${req.params.id}`, body: html`<p>batch <a href="/batches/${lineage.batchId}">${lineage.batchId}</a></p><div id="lineage">${lineageTree(lineage.roots)}</div>` };
  }));
  return pages;
}
