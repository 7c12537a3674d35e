import * as z from 'zod';
import {
  fixedPeriods, InputError, parseKeyValues, partitionKeys, periodWords, seriesFromWire, toIsoDate, unknownKeyValue, wireSeriesFields, type DatasetDefinition,
  type PartitionKeyDefinition,
  type PeriodCalendar,
  type SourceCatalog,
} from '@spine/platform';

export interface BackfillLimits {
  /** The most partitions (periods x each key's values) one request may enqueue: BACKFILL_MAX_PARTITIONS. */
  maxPartitions: number;
  /** YYYY-MM-DD, today unless given: a period ending after it has not ended, so none can be asked for. */
  today?: string;
  /** The dataset's periods (loadPeriodCalendar); a weekly dataset's need not be given. */
  periods?: PeriodCalendar;
}

/** What messages call the fields: the CLI's flags, the API's JSON keys or a form's labels. */
export interface RequestFieldNames {
  from: string;
  to: string;
  max_reject_share: string;
}

export const CLI_FIELD_NAMES: RequestFieldNames = { from: '--from', to: '--to', max_reject_share: '--max-reject-share' };

/** A period's date (a week's Friday, a trading day), as YYYY-MM-DD. */
const periodSchema = (periods: PeriodCalendar) => z.string().superRefine((value, ctx) => {
  const problem = periods.problem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** A period of the dataset named in a path or a field: checked in full where its periods need no database (weeks, months). */
export function periodDateSchema(dataset: Pick<DatasetDefinition, 'period'>): z.ZodType<string> {
  const periods = fixedPeriods(dataset.period.kind);
  return periods ? periodSchema(periods) : z.iso.date();
}

/** The periods of a dataset the caller did not load: only weeks and months can be known without the database. */
function periodsOf(dataset: DatasetDefinition, given: PeriodCalendar | undefined): PeriodCalendar {
  const periods = given ?? fixedPeriods(dataset.period.kind);
  if (!periods) throw new Error(`the ${dataset.name} dataset's periods are ${periodWords(dataset.period.kind).many}: load them (loadPeriodCalendar) and pass them`);
  return periods;
}

/** One of the dataset's keys as a request names it: `all` or one value, any accepted spelling. */
const keyValues = (key: PartitionKeyDefinition) => (value: string, ctx: z.RefinementCtx): string[] => {
  const values = parseKeyValues(key, value);
  if (!values) {
    ctx.addIssue({ code: 'custom', message: unknownKeyValue(key, value, true) });
    return z.NEVER;
  }
  return values;
};

/**
 * A backfill request as the CLI and the HTTP API take it; both validate with this one schema, built for the dataset,
 * the sources the configuration allows and its limits. Periods the publisher never released (before the dataset's
 * first period of a series asked for, or after today) are refused whatever the source: a file found for them in a
 * directory or bucket is not the publisher's data.
 */
export const backfillRequestSchema = (
  dataset: DatasetDefinition, sources: Pick<SourceCatalog, 'default' | 'requested'>, limits: BackfillLimits, names: RequestFieldNames = CLI_FIELD_NAMES,
) => {
  const periods = periodsOf(dataset, limits.periods);
  const noun = periodWords(dataset.period.kind).one;
  const [firstKey, secondKey] = partitionKeys(dataset);
  return z.object({
    // The second key's every value (`all`) unless one is named.
    ...wireSeriesFields(z.string().transform(keyValues(firstKey)), z.string().default('all').transform(keyValues(secondKey))),
    from: periodSchema(periods),
    to: periodSchema(periods),
    source: z.string().default(sources.default).transform((value, ctx) => {
      try {
        return sources.requested(value);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
    force: z.boolean().default(false),
    /** The quality gate for this request's weeks (a share of rejected lines, 0 to 1); QUALITY_MAX_REJECT_SHARE when absent. */
    max_reject_share: z.unknown().optional().transform((value, ctx): number | undefined => {
      if (value === undefined || value === null || value === '') return undefined;
      const share = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
      if (Number.isFinite(share) && share >= 0 && share <= 1) return share;
      ctx.addIssue({ code: 'custom', message: `${names.max_reject_share} must be a number from 0 to 1, got "${String(value)}"` });
      return z.NEVER;
    }),
  })
  .superRefine((r, ctx) => {
    // zod runs this even when a field failed its own check; the range is only meaningful between two periods, and
    // the bounds and the size only once the keys are known.
    if (periods.problem(r.from) || periods.problem(r.to)) return;
    if (r.from > r.to) return ctx.addIssue({ code: 'custom', path: ['to'], message: `${names.to} ${r.to} is before ${names.from} ${r.from}` });
    const { key1: firstValues, key2: secondValues } = seriesFromWire<string[] | undefined>(r);
    if (!Array.isArray(firstValues) || !Array.isArray(secondValues)) return;
    const today = limits.today ?? toIsoDate(new Date());
    const firstOf = (key2: string) => firstValues.map((key1) => dataset.firstPeriod({ key1, key2 })).reduce((a, b) => (b > a ? b : a));
    const latest = secondValues.reduce((a, v) => (firstOf(v) > firstOf(a) ? v : a));
    const first = firstOf(latest);
    if (r.from < first) {
      const firsts = secondKey.values.map((v) => `${v} ${firstOf(v)}`).join(', ');
      return ctx.addIssue({ code: 'custom', path: ['from'], message: `${names.from} ${r.from} is before ${dataset.publisher}'s first ${latest} ${noun}, ${first} (first ${periodWords(dataset.period.kind).many}: ${firsts})` });
    }
    if (r.to > today) return ctx.addIssue({ code: 'custom', path: ['to'], message: `${names.to} ${r.to} is after today (${today}); the ${noun} has not ended` });
    const { maxPartitions } = limits;
    const partitions = periods.between(r.from, r.to).length * firstValues.length * secondValues.length;
    if (partitions > maxPartitions) {
      const grain = [noun, ...dataset.keys.map((k) => k.label.toLowerCase())].join(' x ');
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the request covers ${partitions} partitions (${grain}), more than the ` +
        `${maxPartitions} one request may enqueue (BACKFILL_MAX_PARTITIONS): split it by ${alternatives(['dates', ...dataset.keys.map((k) => k.label.toLowerCase())])}` });
    }
  });
};

/** One line per problem, naming the field: what the CLI prints and the API returns. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** `a or b`, `a, b or c`. */
function alternatives(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
