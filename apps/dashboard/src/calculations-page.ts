import { Router } from 'express';
import * as z from 'zod';
import { InputError } from '@spine/platform';
import { loadCalcCaptureRuns, loadCalcCatalog, type CatalogEntry, type CatalogVersion } from '@spine/platform/calcs/calc-catalog';
import { describeIssues } from '@spine/orchestration';
import { timeTag } from '@spine/platform/html/formats';
import { html, type Html } from './html.ts';
import { notFound, page } from './page.ts';
import type { DashboardDeps } from './deps.ts';

const calcParams = z.object({ name: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a calculation name') });
const CAPTURES_SHOWN = 200;

const calcLink = (name: string) => html`<a href="/calculations/${name}">${name}</a>`;
const names = (list: readonly string[]): Html | string => (list.length === 0 ? '-' : html`${list.map((n, i) => html`${i > 0 ? ', ' : ''}${n}`)}`);
const linked = (list: readonly string[]): Html | string => (list.length === 0 ? '-' : html`${list.map((n, i) => html`${i > 0 ? ', ' : ''}${calcLink(n)}`)}`);
const weeks = (v: CatalogVersion) => (v.first_week === null ? '' : v.first_week === v.last_week ? v.first_week : `${v.first_week} to ${v.last_week}`);

function versionsCell(entry: CatalogEntry): Html | string {
  if (entry.versions.length === 0) return html`<span class="note">v${entry.current_version}, not synced (spine calcs sync)</span>`;
  return html`${entry.versions.map((v) => html`<span class="${v.is_current ? 'current' : 'side-by-side'}" title="${v.is_current ? 'current' : 'side by side'}">${v.version}${v.is_current ? ' (current)' : ''}</span> `)}`;
}

/**
 * The calculations as the database knows them (core_calc_dependencies and the specs start-up synced): each one's
 * stage, versions, inputs, output, dependencies, dependants, the captures it ran on and its row-count checks; and
 * one calculation's page with each version's spec and the captures each version ran on.
 */
export function calculationsPage(deps: DashboardDeps): Router {
  const pages = Router();
  pages.get('/calculations', page(deps, async () => {
    const catalog = (await Promise.all(deps.queues.datasets.names().map((name) => loadCalcCatalog(deps.pool, name)))).flat();
    return {
      title: 'Calculations',
      body: html`<p class="note">Each calculation as its code declares it, checked against the calculation graph and synced at start-up. A major
        version runs side by side with the current one (spine calcs run) until it is promoted (spine calcs promote); the contract view serves the current one.</p>
      <table id="calculations"><tr><th>calculation</th><th>stage</th><th>versions</th><th>inputs</th><th>output</th><th>depends on</th><th>dependants</th>
        <th>captures run on</th><th>weeks</th><th>expected rows</th><th>row checks failed</th></tr>
      ${catalog.map((c) => {
        const current = c.versions.find((v) => v.is_current);
        const failed = c.versions.reduce((n, v) => n + v.row_checks_failed, 0);
        return html`<tr data-calc="${c.calc_name}"><td>${calcLink(c.calc_name)}</td><td>${c.stage}</td><td>${versionsCell(c)}</td>
          <td>${names(current?.input_tables ?? [])}</td><td>${current?.output_table ?? ''}</td><td>${linked(c.depends_on)}</td><td>${linked(c.dependants)}</td>
          <td class="num">${current?.captures ?? 0}</td><td>${current ? weeks(current) : ''}</td><td>${current?.expected_rows ?? '-'}</td>
          <td class="num${failed > 0 ? ' FAIL' : ''}">${current?.expected_rows ? failed : '-'}</td></tr>`;
      })}</table>`,
    };
  }));

  pages.get('/calculations/:name', page(deps, async (req) => {
    const params = calcParams.safeParse(req.params);
    if (!params.success) throw new InputError(describeIssues(params.error));
    let found: { dataset: string; entry: CatalogEntry } | undefined;
    for (const dataset of deps.queues.datasets.names()) {
      const entry = (await loadCalcCatalog(deps.pool, dataset)).find((c) => c.calc_name === params.data.name);
      if (entry) {
        found = { dataset, entry };
        break;
      }
    }
    if (!found) return notFound('Calculation not found', `No calculation ${params.data.name}.`);
    const { dataset, entry } = found;
    const runs = await loadCalcCaptureRuns(deps.pool, dataset, entry.calc_name, CAPTURES_SHOWN);
    return {
      title: entry.calc_name,
      body: html`<p><a href="/calculations">All calculations</a></p>
      <p>Dataset <strong>${dataset}</strong>, stage <strong>${entry.stage}</strong>, current version <strong>v${entry.current_version}</strong>. Depends on ${linked(entry.depends_on)};
        dependants: ${linked(entry.dependants)}.</p>
      ${entry.versions.map((v) => html`<section class="version" data-version="${v.major}"><h2>${v.version}${v.is_current ? ' (current)' : ' (side by side)'}</h2>
        <p>${v.description}</p>${v.assumptions.length > 0 ? html`<ul>${v.assumptions.map((a) => html`<li>${a}</li>`)}</ul>` : ''}
        <table><tr><th>inputs</th><td>${names(v.input_tables)}</td></tr><tr><th>output</th><td>${v.output_table}${v.version_table === v.output_table ? '' : html` (this version: ${v.version_table})`}</td></tr>
          <tr><th>breaking</th><td>${v.is_breaking ? `yes, replaces ${v.replaces}` : v.replaces ? `no, replaces ${v.replaces}` : 'no'}</td></tr>
          <tr><th>weeks required</th><td>${v.weeks_required}</td></tr><tr><th>columns</th><td>${names(v.output_columns)} (key ${names(v.row_key)})</td></tr>
          <tr><th>expected rows</th><td>${v.expected_rows ?? 'no fixed grain'}</td></tr>
          <tr><th>row checks</th><td>${v.row_checks_passed} passed, <span class="${v.row_checks_failed > 0 ? 'FAIL' : ''}">${v.row_checks_failed} failed</span></td></tr>
          <tr><th>captures run on</th><td>${v.captures}${v.first_week ? `, weeks ${weeks(v)}` : ''}</td></tr><tr><th>synced</th><td>${timeTag(v.synced_at)}</td></tr></table></section>`)}
      <h2>Captures it ran on${runs.length === CAPTURES_SHOWN ? html` (the newest ${CAPTURES_SHOWN})` : ''}</h2>
      <table id="runs"><tr><th>week</th><th>tier</th><th>venue type</th><th>version</th><th>served</th><th>execution</th><th>captured</th><th>row check</th></tr>
      ${runs.map((r) => html`<tr><td>${r.week_ending}</td><td>${r.tier}</td><td>${r.venue_type}</td><td>v${r.calc_version}</td><td>${r.is_current ? 'current' : 'side by side'}</td>
        <td><a href="/lineage/${r.execution_id}">${r.execution_id}</a></td><td>${timeTag(r.captured_at)}</td>
        <td class="${r.row_check?.status ?? ''}">${r.row_check ? `${r.row_check.status} ${r.row_check.actual} of ${r.row_check.expected}` : '-'}</td></tr>`)}</table>`,
    };
  }));
  return pages;
}
