import { Router } from 'express';
import { loadLineage, type ExecutionNode } from '@spine/platform';
import { queueOfStage } from '@spine/orchestration/queue-names';
import { lineageByPartition, type PartitionLineage } from '@spine/operations';
import { durationText, timeTag } from '@spine/platform/html/formats';
import { html, type Html } from './html.ts';
import { notFound, page } from './page.ts';
import { jobPath, partitionPath } from './request-schemas.ts';
import type { DashboardDeps } from './deps.ts';

const partitionKey = (p: Pick<PartitionLineage, 'tier' | 'venue_type' | 'week_ending'>) => `${p.tier}/${p.venue_type}/${p.week_ending}`;

function executionRows(executions: Omit<ExecutionNode, 'children'>[]): Html {
  return html`<table class="executions"><tr><th>stage</th><th>where</th><th>status</th><th>attempt</th><th>started</th><th>took</th><th>rows</th><th>job</th><th>execution</th><th>error</th></tr>
    ${executions.map((e) => html`<tr data-stage="${e.stage}" data-status="${e.status}"><td>${e.stage}</td><td class="where">${[e.tier, e.venue_type, e.week_ending].filter(Boolean).join(' ')}</td>
      <td class="${e.status === 'failed' ? 'FAIL' : e.status === 'gated' ? 'WARN' : ''}">${e.status}</td><td class="num">${e.attempt}</td><td>${timeTag(e.started_at)}</td>
      <td class="num">${durationText(e.duration_ms)}</td><td class="num">${typeof e.metrics?.rows === 'number' ? e.metrics.rows : ''}</td>
      <td>${e.job_id ? html`<a href="${jobPath({ queue: queueOfStage(e.stage), id: e.job_id })}">${e.job_id}</a>` : ''}</td>
      <td><code title="${e.execution_id}">${e.execution_id.slice(0, 8)}</code></td><td class="error">${e.error ?? ''}</td></tr>`)}</table>`;
}

/**
 * A batch's (or an execution's) lineage, one collapsible section per partition, each with its stages in the order
 * they ran; ?partition=<tier>/<venue type>/<week> shows that partition alone, open.
 */
export function lineagePage(deps: DashboardDeps): Router {
  const pages = Router();
  pages.get('/lineage/:id', page(deps, async (req) => {
    const id = String(req.params.id);
    const lineage = await loadLineage(deps.pool, id);
    if (lineage.roots.length === 0) return notFound('Lineage not found', `No batch or execution ${id}.`);
    const only = typeof req.query.partition === 'string' ? req.query.partition : undefined;
    const grouped = lineageByPartition(lineage.roots);
    const partitions = only ? grouped.partitions.filter((p) => partitionKey(p) === only) : grouped.partitions;
    return {
      title: `Lineage of ${id}`,
      body: html`<p>Batch <a href="/batches/${lineage.batchId}">${lineage.batchId}</a>:
        ${only ? html`the partition ${only.replaceAll('/', ' ')} only (<a href="/lineage/${id}">every partition</a>)` : `${partitions.length} partition(s); open one for its stages`}.</p>
      <div id="lineage">
      ${grouped.batch.length && !only ? html`<h2>The batch's own executions</h2>${executionRows(grouped.batch)}` : ''}
      ${partitions.map((p) => html`<details class="partition" data-partition="${partitionKey(p)}" data-status="${p.status}" ${only || p.status === 'failed' ? 'open' : ''}>
        <summary><strong>${p.tier} ${p.venue_type} ${p.week_ending}</strong> <span class="${p.status === 'failed' ? 'FAIL' : p.status === 'gated' ? 'WARN' : ''}">${p.status}</span>:
          ${p.executions.length} execution(s), processing ${durationText(p.processing_ms)} · <a href="${partitionPath(p)}">partition page</a></summary>
        ${executionRows(p.executions)}</details>`)}
      ${partitions.length === 0 ? html`<p class="note">No execution of ${only} in this lineage.</p>` : ''}</div>`,
    };
  }));
  return pages;
}
