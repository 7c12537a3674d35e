import { Router } from 'express';
import { recentAnomalies, recentQuality } from '@spine/operations';
import { html } from './html.ts';
import { page } from './page.ts';
import type { DashboardDeps } from './deps.ts';

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

  return pages;
}
