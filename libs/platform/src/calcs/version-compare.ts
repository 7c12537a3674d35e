import pg from 'pg';
import type { Queryable } from '../db/pool.ts';
import { wireColumns, wireOf, type WirePartition } from '../dataset/wire-partition.ts';
import { parseCalcVersion, versionOutput, type CalculationSpec } from './calculation-spec.ts';

export interface ComparedRow extends WirePartition {
  key: Record<string, unknown>;
  a: Record<string, unknown>;
  b: Record<string, unknown>;
}

export interface RowDifference extends WirePartition {
  key: Record<string, unknown>;
  a: unknown;
  b: unknown;
  abs_diff: number | null;
}

export interface ColumnDifference {
  column: string;
  numeric: boolean;
  /** Rows whose value differs (a NULL on one side only counts). */
  changed: number;
  /** Over the rows with a number on both sides; null for a column that is not numeric or has no such row. */
  max_abs_diff: number | null;
  mean_abs_diff: number | null;
  /** The rows that differ most: by absolute difference for a numeric column, else the first in key order. */
  top: RowDifference[];
}

export interface VersionComparison {
  calc_name: string;
  versions: [number, number];
  weeks: string[] | null;
  captures: number;
  rows: number;
  columns: ColumnDifference[];
}

const DECIMAL = /^-?\d+(?:\.\d+)?$/;
const asNumber = (value: unknown): number | null => {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && DECIMAL.test(value) ? Number(value) : null;
};

/**
 * Per column, how version b differs from version a over rows matched on capture and row key: how many changed, the
 * largest and the mean absolute difference (numeric columns) and the `top` rows that differ most. A column is numeric
 * when every value it holds on either side is a number (pg returns numeric as decimal text).
 */
export function summarizeDifferences(rows: readonly ComparedRow[], columns: readonly string[], top = 5): ColumnDifference[] {
  return columns.map((column) => {
    const numeric = rows.every((r) => [r.a[column], r.b[column]].every((v) => v === null || asNumber(v) !== null));
    const differing: RowDifference[] = [];
    let sum = 0;
    let counted = 0;
    let max: number | null = null;
    for (const row of rows) {
      const a = row.a[column] ?? null;
      const b = row.b[column] ?? null;
      const x = numeric ? asNumber(a) : null;
      const y = numeric ? asNumber(b) : null;
      const absDiff = x !== null && y !== null ? Math.abs(y - x) : null;
      if (absDiff !== null) {
        sum += absDiff;
        counted += 1;
        max = Math.max(max ?? 0, absDiff);
      }
      const changed = absDiff !== null ? absDiff !== 0 : a !== b;
      if (changed) differing.push({ ...wireOf(row), key: row.key, a, b, abs_diff: absDiff });
    }
    const ranked = numeric ? [...differing].sort((p, q) => (q.abs_diff ?? Infinity) - (p.abs_diff ?? Infinity)) : differing;
    return { column, numeric, changed: differing.length, max_abs_diff: max, mean_abs_diff: counted === 0 ? null : sum / counted, top: ranked.slice(0, top) };
  });
}

/**
 * Compares two major versions of a calculation over the captures both ran on (optionally only some weeks): each
 * version's relation is read with its row key and the output columns the two share, joined on capture and key.
 * Parameters: the two specs, the weeks (or null for all), how many differing rows per column to list.
 * Result: per-column differences.
 */
export async function compareCalcVersions(db: Queryable, a: CalculationSpec, b: CalculationSpec, options: { weeks: string[] | null; top: number }): Promise<VersionComparison> {
  const key = a.validation.rowKey;
  const columns = a.validation.outputColumns.filter((c) => b.validation.outputColumns.includes(c) && !key.includes(c));
  const id = (name: string) => pg.escapeIdentifier(name);
  const select = [
    ...key.map((k, i) => `a.${id(k)} AS k${i}`),
    ...columns.map((c, i) => `a.${id(c)} AS a${i}, b.${id(c)} AS b${i}`),
  ].join(', ');
  const { rows } = await db.query<Record<string, unknown> & WirePartition & { capture_id: string }>(
    `SELECT ${wireColumns('c')}, c.capture_id, ${select}
       FROM ${id(versionOutput(a))} a
       JOIN ${id(versionOutput(b))} b ON b.capture_id = a.capture_id AND ${key.map((k) => `b.${id(k)} = a.${id(k)}`).join(' AND ')}
       JOIN core_captures c ON c.capture_id = a.capture_id
      WHERE $1::date[] IS NULL OR c.period_end = ANY($1::date[])
      ORDER BY c.period_end, c.key_1, c.key_2, c.revision, ${key.map((_k, i) => `k${i}`).join(', ')}`,
    [options.weeks]);
  const compared: ComparedRow[] = rows.map((r) => ({
    ...wireOf(r),
    key: Object.fromEntries(key.map((k, i) => [k, r[`k${i}`]])),
    a: Object.fromEntries(columns.map((c, i) => [c, r[`a${i}`]])),
    b: Object.fromEntries(columns.map((c, i) => [c, r[`b${i}`]])),
  }));
  return {
    calc_name: a.name,
    versions: [parseCalcVersion(a.version).major, parseCalcVersion(b.version).major],
    weeks: options.weeks,
    captures: new Set(rows.map((r) => r.capture_id)).size,
    rows: compared.length,
    columns: summarizeDifferences(compared, columns, options.top),
  };
}
