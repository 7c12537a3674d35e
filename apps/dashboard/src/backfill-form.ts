import { partitionKeys, periodWords, type DatasetDefinition } from '@spine/platform';
import type { RequestFieldNames, WeekKey } from '@spine/orchestration';
import { html, type Html } from './html.ts';
import { partitionPath } from './request-schemas.ts';

/** The form's messages name its fields by their labels: its periods' (weeks, trading days, months). */
export function formFieldNames(dataset: Pick<DatasetDefinition, 'period'>): RequestFieldNames {
  const period = periodWords(dataset.period.kind).one;
  return { from: `From ${period}`, to: `To ${period}`, max_reject_share: 'Max reject share' };
}

/** What was typed into the form, kept to show it again after a refusal. */
export interface BackfillFormValues {
  /** The dataset the form is for; absent: the first registered. */
  dataset?: string;
  tier: string;
  venue_type: string;
  from: string;
  to: string;
  source: string;
  force: boolean;
  max_reject_share: string;
}

export const EMPTY_FORM: BackfillFormValues = { tier: 'all', venue_type: 'all', from: '', to: '', source: 'finra', force: false, max_reject_share: '' };

/** The form's fields from a posted body; anything else it carried is dropped. */
export function formValues(body: Record<string, unknown>): BackfillFormValues {
  const text = (name: keyof BackfillFormValues, fallback: string) => (typeof body[name] === 'string' ? (body[name] as string) : fallback);
  return {
    ...(typeof body.dataset === 'string' ? { dataset: body.dataset } : {}),
    tier: text('tier', EMPTY_FORM.tier), venue_type: text('venue_type', EMPTY_FORM.venue_type), from: text('from', ''), to: text('to', ''),
    source: text('source', EMPTY_FORM.source), force: body.force === 'true', max_reject_share: text('max_reject_share', ''),
  };
}

export interface FormFeedback {
  /** Problems by field name (null: about the request as a whole). */
  problems: { field: string | null; message: string }[];
  /** What happened, when it was no error (nothing left to enqueue). */
  notice?: string;
  /** Partitions left out, and why, when nothing or not everything was enqueued. */
  skipped?: { why: string; partitions: WeekKey[] }[];
}

/** "from: ..." and "From week ..." read the same to a person: the first letter up, nothing else changed. */
function sentence(message: string): string {
  return `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.)]$/.test(message) ? '' : '.'}`;
}

function option(value: string, chosen: string): Html {
  return html`<option ${value === chosen ? 'selected' : ''}>${value}</option>`;
}

/**
 * The backfill form, filled with `values`; a problem shows beside its field and in a list above, and a partial or
 * empty result lists what was skipped.
 */
export function backfillForm(dataset: DatasetDefinition, csrf: string, values: BackfillFormValues, defaultShare: number, feedback: FormFeedback = { problems: [] }): Html {
  const [first, second] = partitionKeys(dataset);
  const words = periodWords(dataset.period.kind);
  const names = formFieldNames(dataset);
  const about = (field: string) => feedback.problems.filter((p) => p.field === field).map((p) => html`<span class="field-error" data-field="${field}">${sentence(p.message)}</span>`);
  const problems = feedback.problems.length
    ? html`<ul class="error" id="backfill-error">${feedback.problems.map((p) => html`<li>${sentence(p.message)}</li>`)}</ul>` : '';
  const skipped = feedback.skipped?.filter((s) => s.partitions.length > 0) ?? [];
  return html`${problems}${feedback.notice ? html`<p class="note" id="backfill-notice">${sentence(feedback.notice)}</p>` : ''}${skipped.length ? html`<ul class="note" id="backfill-skipped">${skipped.map((s) => html`<li>${s.partitions.length} partition(s) ${s.why}:
      ${s.partitions.map((p, i) => html`${i ? ', ' : ''}<a href="${partitionPath(p)}">${p.tier} ${p.venue_type} ${p.week_ending}</a>`)}</li>`)}</ul>` : ''}
    <form method="post" action="/batches" class="inline" id="backfill-form" data-dataset="${dataset.name}"><input type="hidden" name="_csrf" value="${csrf}">${values.dataset ? html`<input type="hidden" name="dataset" value="${dataset.name}">` : ''}
    <label>${first.label} <select name="tier">${option('all', values.tier)}${first.values.map((t) => option(t, values.tier))}</select>${about('tier')}</label>
    ${second.implicit ? html`<input type="hidden" name="venue_type" value="all">` : html`<label>${second.label} <select name="venue_type">${option('all', values.venue_type)}${second.values.map((v) => option(v, values.venue_type))}</select>${about('venue_type')}</label>`}
    <label>${names.from} (${words.hint}) <input name="from" value="${values.from}" placeholder="${words.example}" required>${about('from')}</label>
    <label>${names.to} (${words.hint}) <input name="to" value="${values.to}" placeholder="${words.exampleEnd}" required>${about('to')}</label>
    <label>Source <input name="source" value="${values.source}" title="finra, dir:/path or s3:bucket/prefix">${about('source')}</label>
    <label>${names.max_reject_share} <input name="max_reject_share" value="${values.max_reject_share}" inputmode="decimal" size="8"
      placeholder="${String(defaultShare)}" title="Quality gate: a week stops after ingest when more than this share of its lines (0 to 1) is rejected">${about('max_reject_share')}</label>
    <label><span>Force re-run</span><input type="checkbox" name="force" value="true" ${values.force ? 'checked' : ''}></label>
    <button type="submit">Start backfill</button></form>`;
}
