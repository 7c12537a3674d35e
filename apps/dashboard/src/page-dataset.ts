import { InputError, UnknownDatasetError, type DatasetDefinition } from '@spine/platform';
import type { DashboardDeps } from './deps.ts';
import { html, type Html } from './html.ts';

/** The dataset a page asks about (`?dataset=`, the first registered when absent; an unknown one is the asker's error) and the parameter its links carry. */
export function pageDataset(deps: DashboardDeps, name: string | undefined): { dataset: DatasetDefinition; param: string | undefined } {
  const { datasets } = deps.queues;
  try {
    const dataset = datasets.of(name);
    return { dataset, param: dataset === datasets.first ? undefined : dataset.name };
  } catch (error) {
    if (error instanceof UnknownDatasetError) throw new InputError(`dataset: ${error.message}`);
    throw error;
  }
}

/** Links to the same page of each registered dataset, when there are several; `label` leads them. */
export function datasetNav(deps: DashboardDeps, current: DatasetDefinition, path: string, label = ''): Html | string {
  const { datasets } = deps.queues;
  if (datasets.names().length < 2) return '';
  return html`<nav class="datasets" id="datasets">${label}${datasets.list().map((d) => d === current ? html`<strong>${d.title}</strong> `
    : html`<a href="${path}${d === datasets.first ? '' : `?dataset=${encodeURIComponent(d.name)}`}">${d.title}</a> `)}</nav>`;
}
