import * as z from 'zod';
import { HISTORIC_FILTER_FIELDS, type StandInDataset } from './datasets.ts';
import { HttpProblem } from './finra-error.ts';
import type { StandInRow } from './week-rows.ts';

/** POST Data (developer.finra.org/post-data): limit defaults to 1000; Platform Usage Limits: at most 5000. */
export const DEFAULT_LIMIT = 1000;
export const MAX_LIMIT = 5000;
/** Platform Usage Limits: offset is at most 500,000. */
export const MAX_OFFSET = 500_000;

/** The weeklySummary fields (GET Metadata, otcmarket/weeklysummary). */
export const WEEKLY_SUMMARY_FIELDS = [
  'issueSymbolIdentifier', 'issueName', 'firmCRDNumber', 'MPID', 'marketParticipantName', 'tierIdentifier', 'tierDescription',
  'summaryStartDate', 'summaryTypeCode', 'weekStartDate', 'totalWeeklyTradeCount', 'totalWeeklyShareQuantity', 'productTypeCode',
  'lastUpdateDate', 'initialPublishedDate', 'lastReportedDate',
] as const;
/** A dataset's field names by their lower-case spelling. */
export type DatasetFields = ReadonlyMap<string, string>;
export const fieldsOf = (names: readonly string[]): DatasetFields => new Map(names.map((f) => [f.toLowerCase(), f]));
const WEEKLY_FIELDS = fieldsOf(WEEKLY_SUMMARY_FIELDS);

const COMPARE_TYPES = ['EQUAL', 'EQUALS', 'NOT_EQUAL', 'GREATER', 'LESSER', 'GTE', 'LTE'] as const;
const scalar = z.union([z.string(), z.number()]);

export const dataQuerySchema = z.object({
  fields: z.array(z.string()).optional(),
  compareFilters: z.array(z.object({ compareType: z.string(), fieldName: z.string(), fieldValue: scalar })).default([]),
  domainFilters: z.array(z.object({ fieldName: z.string(), values: z.array(scalar) })).default([]),
  dateRangeFilters: z.array(z.object({ fieldName: z.string(), startDate: z.string(), endDate: z.string() })).default([]),
  sortFields: z.array(z.string()).default([]),
  limit: z.number().int().min(1).default(DEFAULT_LIMIT),
  offset: z.number().int().min(0).max(MAX_OFFSET).default(0),
});
export type DataQuery = z.output<typeof dataQuerySchema>;

type Predicate = (row: StandInRow) => boolean;

/** Field names are matched case-insensitively, as FINRA's own examples spell them in lower case. */
export function fieldName(name: string, fields: DatasetFields = WEEKLY_FIELDS): string {
  const field = fields.get(name.toLowerCase());
  if (!field) throw new HttpProblem(400, `unknown field "${name}" for this dataset`);
  return field;
}

/** The values a query allows for one field (EQUAL filters and domain filters), or undefined when it does not restrict it. */
export function allowedValues(query: DataQuery, field: string, fields: DatasetFields = WEEKLY_FIELDS): string[] | undefined {
  let allowed: string[] | undefined;
  const narrow = (values: string[]) => {
    allowed = allowed === undefined ? values : allowed.filter((v) => values.includes(v));
  };
  for (const f of query.compareFilters) {
    if (fieldName(f.fieldName, fields) === field && isEqual(f.compareType)) narrow([String(f.fieldValue)]);
  }
  for (const f of query.domainFilters) if (fieldName(f.fieldName, fields) === field) narrow(f.values.map(String));
  return allowed;
}

/** Rejects what the dataset does not take, with FINRA-style 400s. */
export function checkQuery(dataset: StandInDataset | 'regShoDaily', query: DataQuery, fields: DatasetFields = WEEKLY_FIELDS): void {
  const filtered = [...query.compareFilters, ...query.domainFilters, ...query.dateRangeFilters].map((f) => fieldName(f.fieldName, fields));
  for (const f of query.compareFilters) {
    if (!(COMPARE_TYPES as readonly string[]).includes(f.compareType.toUpperCase())) throw new HttpProblem(400, `unknown compareType "${f.compareType}"`);
  }
  for (const f of [...(query.fields ?? []), ...query.sortFields.map((s) => s.replace(/^[+-]/, ''))]) fieldName(f, fields);
  if (dataset === 'weeklySummaryHistoric') {
    const refused = filtered.filter((f) => !HISTORIC_FILTER_FIELDS.has(f));
    if (refused.length > 0) {
      throw new HttpProblem(400, `weeklySummaryHistoric can only be filtered on weekStartDate, historicalWeek or historicalMonth, plus tierIdentifier; not on ${[...new Set(refused)].join(', ')}`);
    }
  }
}

/** Filters, sorts and pages the rows; `maxPayloadBytes` cuts the page short like FINRA's 3 MB payload limit. */
export function answerQuery(rows: StandInRow[], query: DataQuery, maxPayloadBytes: number, datasetFields: DatasetFields = WEEKLY_FIELDS): { total: number; page: StandInRow[]; limit: number } {
  const predicates = filterPredicates(query, datasetFields);
  const matching = rows.filter((row) => predicates.every((p) => p(row)));
  const sorted = query.sortFields.length > 0 ? [...matching].sort(comparator(query.sortFields, datasetFields)) : matching;
  const limit = Math.min(query.limit, MAX_LIMIT);
  const fields = query.fields?.map((f) => fieldName(f, datasetFields));
  const page: StandInRow[] = [];
  let bytes = 2; // the brackets
  for (const row of sorted.slice(query.offset, query.offset + limit)) {
    const projected = fields ? Object.fromEntries(fields.map((f) => [f, row[f] ?? null])) : row;
    const size = Buffer.byteLength(JSON.stringify(projected)) + (page.length > 0 ? 1 : 0);
    // One row always goes out, whatever its size, or paging could never advance.
    if (page.length > 0 && bytes + size > maxPayloadBytes) break;
    page.push(projected);
    bytes += size;
  }
  return { total: matching.length, page, limit };
}

function isEqual(compareType: string): boolean {
  const type = compareType.toUpperCase();
  return type === 'EQUAL' || type === 'EQUALS';
}

function filterPredicates(query: DataQuery, fields: DatasetFields): Predicate[] {
  const predicates: Predicate[] = [];
  for (const f of query.compareFilters) {
    const field = fieldName(f.fieldName, fields);
    const type = f.compareType.toUpperCase();
    predicates.push((row) => {
      const order = compare(row[field] ?? null, f.fieldValue);
      switch (type) {
        case 'NOT_EQUAL': return order !== 0;
        case 'GREATER': return order > 0;
        case 'LESSER': return order < 0;
        case 'GTE': return order >= 0;
        case 'LTE': return order <= 0;
        default: return order === 0;
      }
    });
  }
  for (const f of query.domainFilters) {
    const field = fieldName(f.fieldName, fields);
    const values = new Set(f.values.map(String));
    predicates.push((row) => values.has(String(row[field])));
  }
  for (const f of query.dateRangeFilters) {
    const field = fieldName(f.fieldName, fields);
    predicates.push((row) => String(row[field]) >= f.startDate && String(row[field]) <= f.endDate);
  }
  return predicates;
}

/** Numbers compare as numbers, everything else as text; null sorts first. */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const [x, y] = [String(a), String(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `sortFields` entries name a field, descending with a leading '-'. */
function comparator(sortFields: string[], fields: DatasetFields): (a: StandInRow, b: StandInRow) => number {
  const keys = sortFields.map((s) => ({ field: fieldName(s.replace(/^[+-]/, ''), fields), sign: s.startsWith('-') ? -1 : 1 }));
  return (a, b) => {
    for (const { field, sign } of keys) {
      const order = compare(a[field] ?? null, b[field] ?? null);
      if (order !== 0) return sign * order;
    }
    return 0;
  };
}
