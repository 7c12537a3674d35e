import { Router, type Request } from 'express';
import { partitionKeys, seriesName, type DatasetDefinition } from '@spine/platform';
import { batchProgress, describeIssues, type BatchFailure, type BatchProgress } from '@spine/orchestration';
import { retryBatchFailures } from '@spine/orchestration/failed-job-retry';
import { batchList, batchReport, type BatchPartition, type BatchReport, type ListedPartition } from '@spine/operations';
import { requireAdmin } from './auth.ts';
import { csrfToken } from './csrf.ts';
import { durationText, timeTag } from '@spine/platform/html/formats';
import { html, type Html } from './html.ts';
import { notFound, page } from './page.ts';
import { pager } from './pager.ts';
import { jobPath, listOptions, parseListQuery, partitionParams, partitionPath } from './request-schemas.ts';
import { startBackfill } from './backfill-start.ts';
import { backfillForm, EMPTY_FORM, formFieldNames, formValues, type BackfillFormValues, type FormFeedback } from './backfill-form.ts';
import type { DashboardDeps } from './deps.ts';
import { datasetNav } from './page-dataset.ts';

/** How often an open batch's page re-reads itself. */
const REFRESH_MS = 2000;

const key = (p: ListedPartition) => `${p.week_ending} ${p.tier} ${p.venue_type}`;

/** A retry from the batch page: one partition's failed job when the form names a partition, else every one of the batch's. */
function retryTarget(dataset: DatasetDefinition, body: Record<string, unknown>) {
  const named = ['tier', 'venue_type', 'week_ending'].some((field) => body[field] !== undefined);
  return named ? partitionParams(dataset).safeParse(body) : { success: true as const, data: undefined };
}

export function batchProgressOf(deps: DashboardDeps, id: string): Promise<BatchProgress | undefined> {
  return batchProgress(deps.pool, id, deps.queues);
}

/** The batches list with the backfill form, and each batch's page: the operator's hub while it runs and after. */
export function batchPages(deps: DashboardDeps): Router {
  const pages = Router();

  /** A batch's dataset, or the first for a batch of one no longer registered. */
  const batchDataset = (report: BatchReport): DatasetDefinition => deps.queues.datasets.find(report.dataset) ?? deps.queues.datasets.first;

  /** A form's dataset; an unknown one shows the first's form (the request's refusal says why). */
  const formDataset = (name: string | undefined): DatasetDefinition => {
    const { datasets } = deps.queues;
    return (name === undefined ? undefined : datasets.find(name)) ?? datasets.first;
  };

  const batchesPage = (values: BackfillFormValues = EMPTY_FORM, feedback?: FormFeedback) => page(deps, async (req) => {
    const query = parseListQuery(req);
    const batches = await batchList(deps.pool, listOptions(query));
    // The form of the dataset posted, or asked for by ?dataset= (the datasets' links).
    const dataset = formDataset(values.dataset ?? (typeof req.query.dataset === 'string' ? req.query.dataset : undefined));
    const form = req.role === 'admin'
      ? html`${datasetNav(deps, dataset, '/batches', 'Backfill: ')}${backfillForm(dataset, csrfToken(req, deps.sessionSecret),
        dataset === deps.queues.datasets.first ? values : { ...values, dataset: dataset.name }, deps.env.QUALITY_MAX_REJECT_SHARE, feedback)}`
      : html`<p class="note">Viewers cannot start backfills.</p>`;
    return {
      title: 'Batches',
      status: feedback?.problems.length ? 400 : 200,
      body: html`${form}<h2>Batches</h2>${pager('/batches', batches, query, { noun: 'batches', problems: 'failed or partial batches' })}
      <table id="batches"><tr><th>batch</th><th>kind</th><th>status</th><th>weeks done</th><th>failed</th><th>requested by</th><th>created</th></tr>
      ${batches.rows.map((b) => html`<tr><td><a href="/batches/${b.batch_id}">${b.batch_id}</a></td><td>${b.kind}</td><td>${b.status}</td><td>${b.weeks_done}/${b.weeks_total}</td><td>${b.weeks_failed}</td><td>${b.requested_by ?? ''}</td><td>${timeTag(b.created_at)}</td></tr>`)}</table>`,
    };
  });
  pages.get('/batches', batchesPage());
  pages.post('/batches', requireAdmin, async (req, res, next) => {
    const values = formValues(req.body as Record<string, unknown>);
    try {
      const names = formFieldNames(formDataset(values.dataset));
      const outcome = await startBackfill(deps, { ...values, force: values.force }, `dashboard:${req.role}`, names);
      if (outcome.kind === 'invalid') return await batchesPage(values, { problems: outcome.problems })(req, res);
      const notPublished = { why: 'not published by FINRA yet', partitions: outcome.unpublished };
      if (outcome.kind === 'refused') return await batchesPage(values, { problems: [{ field: null, message: outcome.message }], skipped: [notPublished] })(req, res);
      if (outcome.result.batch_id) return res.redirect(303, `/batches/${outcome.result.batch_id}`);
      await batchesPage(values, {
        problems: [], notice: 'nothing enqueued: every partition asked for is already queued or running',
        skipped: [notPublished, { why: 'already queued or running', partitions: outcome.result.in_flight }],
      })(req, res);
    } catch (error) {
      next(error);
    }
  });

  pages.get('/batches/:id', page(deps, async (req) => {
    const id = String(req.params.id);
    const [report, progress] = await Promise.all([batchReport(deps.pool, id, new Date()), batchProgressOf(deps, id)]);
    if (!report || !progress) return notFound('Batch not found', `No batch ${id}.`);
    const retried = typeof req.query.retried === 'string' ? Number(req.query.retried) : undefined;
    return {
      title: `Batch ${id}`,
      body: html`${retried === undefined ? '' : html`<p class="note" id="action-result">${retried > 0 ? `Retried ${retried} failed job(s).` : 'No failed job to retry: retried already, or the queue no longer holds it.'}</p>`}
        ${batchHub(req, deps, batchDataset(report), report, progress)}`,
    };
  }));

  pages.post('/batches/:id/retry', requireAdmin, async (req, res, next) => {
    const id = String(req.params.id);
    try {
      const report = await batchReport(deps.pool, id, new Date());
      if (!report) return void res.status(404).type('html').send(`no batch ${id}`);
      // The partition named is read with the batch's dataset's keys.
      const only = retryTarget(batchDataset(report), req.body as Record<string, unknown>);
      if (!only.success) return void res.status(400).type('text').send(describeIssues(only.error));
      const retried = await retryBatchFailures(deps.pool, id, deps.queues, only.data);
      res.redirect(303, `/batches/${encodeURIComponent(id)}?retried=${retried.length}`);
    } catch (error) {
      next(error);
    }
  });
  return pages;
}

/**
 * Everything about the batch in one element, which the page script re-reads every REFRESH_MS until the batch has
 * ended: the request, a row per partition, its failed jobs with their place in Bull Board and a retry, and what
 * it skipped.
 */
function batchHub(req: Request, deps: DashboardDeps, dataset: DatasetDefinition, report: BatchReport, progress: BatchProgress): Html {
  const failures = new Map(progress.failures.map((f) => [key(f), f]));
  const retrying = new Set(progress.retrying.map(key));
  // A partition's page names its dataset unless it is the first.
  const linkOf = (p: ListedPartition) => partitionPath(p, dataset === deps.queues.datasets.first ? undefined : dataset.name);
  const admin = req.role === 'admin';
  const csrf = csrfToken(req, deps.sessionSecret);
  const retryForm = (fields: Record<string, string>, label: string) => html`<form method="post" action="/batches/${report.batch_id}/retry" class="action">
    <input type="hidden" name="_csrf" value="${csrf}">${Object.entries(fields).map(([n, v]) => html`<input type="hidden" name="${n}" value="${v}">`)}<button type="submit">${label}</button></form>`;
  return html`<div id="batch-hub" ${progress.ended ? '' : html`data-refresh="${REFRESH_MS}"`}>
    <p id="batch-progress" data-status="${progress.status}">${dataset.title}, ${progress.kind}: ${progress.status}; partitions ${progress.weeks_done}/${progress.weeks_total} done,
      ${progress.weeks_failed} failed, ${progress.weeks_gated} gated${progress.retrying.length ? `, ${progress.retrying.length} retrying` : ''}; ${progress.rows_ingested} rows in ${durationText(progress.elapsed_ms)}${progress.ended ? '' : ' (refreshing)'}</p>
    ${requestFacts(dataset, report)}
    <h2>Partitions</h2>${partitionsTable(dataset, linkOf, report.partitions, failures, retrying, admin ? (f) => retryForm({ tier: f.tier, venue_type: f.venue_type, week_ending: f.week_ending }, 'Retry') : undefined)}
    ${progress.failures.length > 1 && admin ? html`<p>${retryForm({}, `Retry all ${progress.failures.length} failed jobs`)}</p>` : ''}
    ${skippedSection(dataset, linkOf, report)}
    <p><a href="/lineage/${report.batch_id}">Lineage</a> · <a href="/queues">Queues</a></p></div>`;
}

function listOf(partitions: string[] | null): string {
  return partitions === null ? '-' : partitions.join(', ');
}

function requestFacts(dataset: DatasetDefinition, report: BatchReport): Html {
  const r = report.request;
  const [first, second] = partitionKeys(dataset);
  return html`<h2>Request</h2><dl class="facts" id="batch-request">
    <dt>dataset</dt><dd>${dataset.title}</dd>
    <dt>kind</dt><dd>${report.kind}</dd>
    <dt>${first.label.toLowerCase()}</dt><dd>${listOf(r.tiers)}</dd>${second.implicit ? '' : html`<dt>${second.label.toLowerCase()}</dt><dd>${listOf(r.venue_types)}</dd>`}
    <dt>${dataset.period.label.toLowerCase()}</dt><dd>${r.from ? `${r.from} to ${r.to}` : '-'}</dd>
    <dt>source</dt><dd>${r.source ?? '-'}</dd>
    <dt>force re-run</dt><dd>${r.force ? 'yes' : 'no'}</dd>
    <dt>quality gate</dt><dd>${r.max_reject_share === null ? '-' : `stops a week when more than ${+(r.max_reject_share * 100).toFixed(2)}% of its lines are rejected`}</dd>
    <dt>requested by</dt><dd>${report.requested_by ?? '-'}</dd>
    <dt>created</dt><dd>${timeTag(report.created_at)}</dd>
    <dt>finished</dt><dd>${report.finished_at ? timeTag(report.finished_at) : 'not yet'}${report.close_reason && report.status !== 'completed' ? html` <span class="error">(${report.close_reason})</span>` : ''}</dd></dl>`;
}

function partitionsTable(dataset: DatasetDefinition, linkOf: (p: ListedPartition) => string, partitions: BatchPartition[], failures: Map<string, BatchFailure>, retrying: Set<string>, retry?: (f: BatchFailure) => Html): Html {
  const [first, second] = partitionKeys(dataset);
  return html`<table id="batch-partitions"><tr><th>${dataset.period.field}</th><th>${first.label.toLowerCase()}</th>${second.implicit ? '' : html`<th>${second.label.toLowerCase()}</th>`}<th>status</th><th>rows</th><th>rejects</th><th>processing</th><th>queue wait</th><th>failed job</th></tr>
    ${partitions.map((p) => {
      const failure = failures.get(key(p));
      const status = failure ? 'failed' : retrying.has(key(p)) ? 'retrying' : p.status;
      return html`<tr data-partition="${key(p)}" data-status="${status}"><td><a href="${linkOf(p)}">${p.week_ending}</a></td><td>${p.tier}</td>${second.implicit ? '' : html`<td>${p.venue_type}</td>`}
        <td class="${status === 'failed' ? 'FAIL' : status === 'gated' ? 'WARN' : ''}">${status}</td><td class="num">${p.rows ?? ''}</td><td class="num">${p.rejects ?? ''}</td>
        <td class="num">${durationText(p.processing_ms)}</td><td class="num">${durationText(p.queue_wait_ms)}</td>
        <td>${failure ? html`<a href="${jobPath(failure.job)}" class="job-link">${failure.stage} job</a> <span class="error">${failure.error}</span> ${retry?.(failure) ?? ''}` : p.error ? html`<span class="error">${p.error}</span>` : ''}</td></tr>`;
    })}</table>`;
}

function skippedSection(dataset: DatasetDefinition, linkOf: (p: ListedPartition) => string, report: BatchReport): Html {
  const groups: [string, ListedPartition[]][] = [
    [`not published by ${dataset.publisher} yet, so not enqueued`, report.skipped.not_published],
    ['already queued or running in another batch', report.skipped.in_flight],
    ['failed earlier and retried in their own batch', report.skipped.retried_elsewhere],
  ];
  const shown = groups.filter(([, list]) => list.length > 0);
  if (shown.length === 0) return html``;
  return html`<h2>Skipped</h2><ul id="batch-skipped">${shown.map(([why, list]) => html`<li>${list.length} partition(s) ${why}:
    ${list.map((p, i) => html`${i ? ', ' : ''}<a href="${linkOf(p)}">${seriesName(dataset, p.tier, p.venue_type)} ${p.week_ending}</a>`)}</li>`)}</ul>`;
}
