import { Router } from 'express';
import { fromWire, InputError, loadPeriodCalendar, partitionKeys, periodWords, seriesFromWire, seriesName } from '@spine/platform';
import { describeIssues } from '@spine/orchestration';
import { retryPartition } from '@spine/orchestration/failed-job-retry';
import { COVERAGE_STATES, coverageCells, coverageGrid, partitionDetail, partitionSchedule, type CoverageCell, type CoverageState, type PartitionDetail } from '@spine/operations';
import { schedulePeriods } from '@spine/scheduling';
import { requireAdmin } from './auth.ts';
import { csrfToken } from './csrf.ts';
import { durationText, isoTime, timeTag } from '@spine/platform/html/formats';
import { html, type Html } from './html.ts';
import { notFound, page } from './page.ts';
import { coverageQuery, datasetQuery, jobPath, partitionParams, partitionPath, type PartitionParams } from './request-schemas.ts';
import type { DashboardDeps } from './deps.ts';
import { datasetNav, pageDataset } from './page-dataset.ts';

const LABELS = new Map(COVERAGE_STATES.map((s) => [s.state, s.label]));

export function legend(): Html {
  return html`<ul class="legend" id="legend">${COVERAGE_STATES.map((s) => html`<li><span class="swatch ${s.state}">${s.label}</span>${s.meaning}</li>`)}</ul>`;
}

function cellText(cell: CoverageCell): string {
  return `${LABELS.get(cell.state)}${cell.revision && cell.revision > 1 ? ` (rev ${cell.revision})` : ''}`;
}

function cellTitle(cell: CoverageCell): string {
  const stages = Object.entries(cell.stages).map(([s, v]) => `${s}: ${v}`).join(', ');
  return `expected ${isoTime(cell.expected_at)}${cell.published === false ? '; the source does not list it yet' : ''}${stages ? `; ${stages}` : ''}`;
}

/** The coverage grid, and a page per partition with what ran for it and what an admin can do about it. */
export function coveragePages(deps: DashboardDeps): Router {
  const pages = Router();

  pages.get('/coverage', page(deps, async (req) => {
    const query = coverageQuery.safeParse(req.query);
    if (!query.success) throw new InputError(describeIssues(query.error));
    const { weeks, until } = query.data;
    const { dataset, param } = pageDataset(deps, query.data.dataset);
    const periods = await loadPeriodCalendar(deps.pool, dataset.period);
    if (until && periods.problem(until)) throw new InputError(`until: ${periods.problem(until)}`);
    const grid = await coverageGrid(deps.pool, dataset, { now: new Date(), weeks, until, periods, publication: deps.publication, onLookupError: deps.onLookupError });
    const older = periods.shift(grid.weeks.at(-1)!, -1);
    const newer = periods.shift(grid.weeks[0]!, weeks);
    const words = periodWords(dataset.period.kind);
    const own = param ? html`&amp;dataset=${param}` : '';
    const oneKey = partitionKeys(dataset)[1].implicit;
    return {
      title: 'Coverage',
      body: html`${datasetNav(deps, dataset, '/coverage')}<p class="note">Every partition each enabled schedule expects, ${weeks} ${words.many} to ${grid.weeks[0]}, newest first
        (the newest ${words.one} due is ${grid.newest_due}). Click a cell for that partition: its captures, runs, rejects and quality.</p>
      ${legend()}
      <nav class="pager"><a href="/coverage?weeks=${weeks}&amp;until=${older}${own}" rel="next">older ${words.many}</a>
        ${grid.weeks[0]! < grid.newest_due ? html`<a href="/coverage?weeks=${weeks}&amp;until=${newer < grid.newest_due ? newer : grid.newest_due}${own}" rel="prev">newer ${words.many}</a>` : ''}</nav>
      <table id="coverage"><tr><th>${dataset.period.field}</th>${grid.columns.map((c) => html`<th data-tier="${c.tier}" data-venue-type="${c.venue_type}">${oneKey ? c.tier : `${c.tier} ${c.venue_type}`}</th>`)}</tr>
      ${grid.weeks.map((week) => html`<tr><td>${week}</td>${grid.cells.filter((c) => c.week_ending === week).map((c) => html`<td class="${c.state}" data-week="${week}"
        data-tier="${c.tier}" data-venue-type="${c.venue_type}" data-state="${c.state}" title="${cellTitle(c)}"><a class="cell" href="${partitionPath(c, param)}">${cellText(c)}</a></td>`)}</tr>`)}</table>`,
    };
  }));

  pages.get('/partitions/:tier/:venue_type/:week_ending', page(deps, async (req) => {
    const named = datasetQuery.safeParse(req.query);
    if (!named.success) throw new InputError(describeIssues(named.error));
    const { dataset, param } = pageDataset(deps, named.data.dataset);
    const params = partitionParams(dataset).safeParse(req.params);
    if (!params.success) return notFound('Partition not found', `No partition ${Object.values(req.params).join(' ')}: ${describeIssues(params.error)}`);
    const p = params.data;
    const now = new Date();
    const schedule = await partitionSchedule(deps.pool, dataset.name, seriesFromWire(p));
    const [cell] = schedule ? await coverageCells(deps.pool, [schedule], await schedulePeriods(deps.pool, schedule), [p.week_ending], { now, publication: deps.publication, onLookupError: deps.onLookupError }) : [];
    const detail = await partitionDetail(deps.pool, fromWire(dataset.name, p), { now });
    const retried = typeof req.query.retried === 'string' ? Number(req.query.retried) : undefined;
    return {
      title: `${param ? `${dataset.title}: ` : ''}${seriesName(dataset, p.tier, p.venue_type)}, ${dataset.period.label.toLowerCase()} ${p.week_ending}`,
      body: html`${retried === undefined ? '' : html`<p class="note" id="action-result">${retried > 0 ? `Retried ${retried} failed job(s).` : 'No failed job to retry: it was retried already, or the queue no longer holds it.'}</p>`}
      ${partitionFacts(p, cell, detail, schedule?.source)}
      ${req.role === 'admin' ? partitionActions(p, param, cell?.state, detail, schedule?.source ?? 'finra', csrfToken(req, deps.sessionSecret)) : ''}
      ${runsSection(detail)}${capturesSection(detail)}${rejectsSection(detail)}${qualitySection(detail)}`,
    };
  }));

  pages.post('/partitions/:tier/:venue_type/:week_ending/retry', requireAdmin, async (req, res, next) => {
    const named = datasetQuery.safeParse(req.query);
    if (!named.success) return void res.status(400).type('text').send(describeIssues(named.error));
    try {
      const { dataset, param } = pageDataset(deps, named.data.dataset);
      const params = partitionParams(dataset).safeParse(req.params);
      if (!params.success) return void res.status(404).type('text').send(describeIssues(params.error));
      const retried = await retryPartition(deps.pool, params.data, deps.queues);
      const path = partitionPath(params.data, param);
      res.redirect(303, `${path}${path.includes('?') ? '&' : '?'}retried=${retried.length}`);
    } catch (error) {
      next(error);
    }
  });
  return pages;
}

function partitionFacts(p: PartitionParams, cell: CoverageCell | undefined, detail: PartitionDetail, source: string | undefined): Html {
  const newest = detail.captures[0];
  return html`<dl class="facts" id="partition" data-state="${cell?.state ?? ''}">
    <dt>state</dt><dd>${cell ? html`<span class="swatch ${cell.state}">${LABELS.get(cell.state)}</span> ${COVERAGE_STATES.find((s) => s.state === cell.state)!.meaning}` : 'no enabled schedule expects this partition'}</dd>
    ${cell ? html`<dt>expected</dt><dd>${timeTag(cell.expected_at)}</dd>` : ''}
    <dt>source</dt><dd>${source ?? '-'}${cell?.published === true ? ' (lists the week as published)' : cell?.published === false ? ' (does not list the week yet)' : ''}</dd>
    <dt>newest capture</dt><dd>${newest ? html`<code>${newest.capture_id}</code>, revision ${newest.revision}, captured ${timeTag(newest.captured_at)}` : 'none'}</dd>
    <dt>lineage</dt><dd>${detail.runs.length ? html`<a href="/lineage/${detail.runs[0]!.batch_id}?partition=${p.tier}/${p.venue_type}/${p.week_ending}">newest run's lineage</a>` : '-'}</dd></dl>`;
}

function retryPath(p: PartitionParams, dataset: string | undefined): string {
  const [path, query] = partitionPath(p, dataset).split('?');
  return `${path}/retry${query ? `?${query}` : ''}`;
}

function hidden(fields: Record<string, string>): Html {
  return html`${Object.entries(fields).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}`;
}

/** Backfill (nothing loaded yet), retry (a failed job waits) and force re-run (anything loaded), for admins. */
function partitionActions(p: PartitionParams, dataset: string | undefined, state: CoverageState | undefined, detail: PartitionDetail, source: string, csrf: string): Html {
  const request = { _csrf: csrf, ...(dataset ? { dataset } : {}), tier: p.tier, venue_type: p.venue_type, from: p.week_ending, to: p.week_ending, source };
  const failed = detail.runs[0]?.status === 'failed';
  const loaded = detail.captures.length > 0;
  return html`<h2>Actions</h2><p id="partition-actions">
    ${!loaded && state !== 'running' ? html`<form method="post" action="/batches" class="action">${hidden(request)}<button type="submit">Backfill this partition</button></form>` : ''}
    ${failed ? html`<form method="post" action="${retryPath(p, dataset)}" class="action">${hidden({ _csrf: csrf })}<button type="submit">Retry the failed job</button></form>` : ''}
    ${loaded ? html`<form method="post" action="/batches" class="action">${hidden({ ...request, force: 'true' })}<button type="submit" class="secondary">Force re-run</button></form>` : ''}
    <span class="note">${source === 'finra' ? 'Runs on FINRA.' : `Runs on the schedule's source, ${source}.`}</span></p>`;
}

function runsSection(detail: PartitionDetail): Html {
  if (detail.runs.length === 0) return html`<h2>Runs</h2><p class="note" id="runs">Nothing ran for this partition yet.</p>`;
  return html`<h2>Runs</h2><div id="runs">${detail.runs.map((run, i) => html`<details ${i === 0 ? 'open' : ''} data-batch="${run.batch_id}" data-status="${run.status}">
    <summary><a href="/batches/${run.batch_id}">${run.batch_id}</a> (${run.batch_kind}${run.requested_by ? `, by ${run.requested_by}` : ''}), started ${timeTag(run.started_at)}:
      <span class="${run.status === 'failed' ? 'FAIL' : ''}">${run.status}</span>; processing ${durationText(run.processing_ms)}, queue wait ${durationText(run.queue_wait_ms)}</summary>
    ${run.error ? html`<p class="error">${run.error}</p>` : ''}
    <table class="stages"><tr><th>stage</th><th>status</th><th>attempt</th><th>started</th><th>took</th><th>rows</th><th>job</th><th>error</th></tr>
    ${run.stages.map((s) => html`<tr data-stage="${s.stage}"><td>${s.stage}</td><td class="${s.status === 'failed' ? 'FAIL' : ''}">${s.status}</td><td class="num">${s.attempt}</td>
      <td>${timeTag(s.started_at)}</td><td class="num">${durationText(s.duration_ms)}</td><td class="num">${s.rows ?? ''}</td>
      <td>${s.job ? html`<a href="${jobPath(s.job)}">${s.job.id}</a>` : ''}</td><td class="error">${s.error ?? ''}</td></tr>`)}</table></details>`)}</div>`;
}

function capturesSection(detail: PartitionDetail): Html {
  if (detail.captures.length === 0) return html``;
  return html`<h2>Captures</h2><table id="captures"><tr><th>revision</th><th>capture</th><th>captured</th><th>sha256</th><th>stages</th></tr>
    ${detail.captures.map((c) => html`<tr><td class="num">${c.revision}</td><td><code>${c.capture_id}</code></td><td>${timeTag(c.captured_at)}</td>
      <td><code title="${c.source_sha256}">${c.source_sha256.slice(0, 12)}</code></td>
      <td>${c.stages.map((s) => html`<span class="${s.status === 'failed' ? 'FAIL' : s.status === 'gated' ? 'WARN' : ''}">${s.stage} ${s.status} (${s.row_count})</span> `)}</td></tr>`)}</table>`;
}

function rejectsSection(detail: PartitionDetail): Html {
  if (detail.captures.length === 0) return html``;
  const total = detail.rejects.reduce((n, r) => n + r.count, 0);
  return html`<h2>Rejects of the newest capture: ${total}</h2>${total === 0 ? html`<p class="note" id="rejects">No line was rejected.</p>` : html`<table id="rejects">
    <tr><th>reason</th><th>lines</th><th>first line</th><th>example</th></tr>
    ${detail.rejects.map((r) => html`<tr><td>${r.reason_code}</td><td class="num">${r.count}</td><td class="num">${r.first_line}</td><td>${r.example}</td></tr>`)}</table>`}`;
}

function qualitySection(detail: PartitionDetail): Html {
  if (detail.captures.length === 0) return html``;
  return html`<h2>Quality checks of the newest capture</h2>${detail.quality.length === 0 ? html`<p class="note" id="partition-quality">No checks recorded (the chain stopped before them).</p>` : html`<table id="partition-quality">
    <tr><th>check</th><th>status</th><th>observed</th><th>threshold</th><th>message</th></tr>
    ${detail.quality.map((q) => html`<tr><td>${q.check_name}</td><td class="${q.status}">${q.status}</td><td class="num">${q.observed ?? ''}</td><td class="num">${q.threshold ?? ''}</td><td>${q.message}</td></tr>`)}</table>`}`;
}
