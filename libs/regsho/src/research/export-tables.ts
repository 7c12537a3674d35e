import type { ExportColumn, ExportColumnType } from '@spine/platform/research/export-files';
import type { ExportQuery } from '@spine/platform/research/export-stream';
import type { ExportTableName } from './export-request.ts';

/** What a file of a table is: one capture (a facility's file of a day), one trade date, or one week. */
export type FileGrain = 'capture' | 'trade_date' | 'week_ending';

export interface ExportTable {
  grain: FileGrain;
  /** The file's rows from the captures whose capture_key is in `keys` (an int[] literal, `{1,2}`), in a stable order. */
  rows(keys: string): ExportQuery;
  columns: ExportColumn[];
}

const column = (name: string, type: ExportColumnType, nullable = false): ExportColumn => ({ name, type, nullable });

/** The capture a daily_volume file was read from, the same on every row (filled in by the exporter). */
export const LINEAGE_COLUMNS: ExportColumn[] = [
  column('capture_id', 'STRING'), column('revision', 'INT32'), column('captured_at', 'STRING'), column('published_on', 'STRING'),
];

const VOLUME_COLUMNS = [column('short_volume', 'DECIMAL'), column('short_exempt_volume', 'DECIMAL'), column('total_volume', 'DECIMAL')];
const RATIO_COLUMNS = [column('short_ratio', 'DECIMAL', true), column('short_exempt_share', 'DECIMAL', true)];

/**
 * The sums and ratios of regsho_symbol_daily and regsho_symbol_week (migration 1100), over the captures of `keys`
 * rather than each facility-day's newest: the export chooses its captures (as of a point in time, some facilities)
 * and reads them in its own snapshot. Without a point in time or a facility, the figures are the views' own.
 */
const SUMS = `sum(l.short_volume) AS short_volume, sum(l.short_exempt_volume) AS short_exempt_volume, sum(l.total_volume) AS total_volume,
  CASE WHEN sum(l.total_volume) > 0 THEN round(sum(l.short_volume) / sum(l.total_volume), 6) END AS short_ratio,
  CASE WHEN sum(l.short_volume) > 0 THEN round(sum(l.short_exempt_volume) / sum(l.short_volume), 6) END AS short_exempt_share`;

const capturesOf = (keys: string) => `(SELECT c.capture_key, c.capture_id, c.period_end AS trade_date, c.key_1 AS market_code
  FROM core_captures c WHERE c.capture_key = ANY(${keys}::int[]))`;

/**
 * What `spine export --dataset regsho --tables` can write. Volumes and ratios are DECIMAL(38, 6) in Parquet and
 * PostgreSQL's text in CSV: the files' fractions (2026's) and the exact sums stay exact. Arrays are comma-separated
 * text (Parquet files of this export have flat columns only).
 */
export const EXPORT_TABLES: Record<ExportTableName, ExportTable> = {
  /** The lines FINRA published (regsho_daily_volume): one file per capture, in the file's order. */
  daily_volume: {
    grain: 'capture',
    rows: (keys) => (bind) => `SELECT l.symbol, l.short_volume, l.short_exempt_volume, l.total_volume, l.line_number AS source_line_number,
                 g.calc_name, g.calc_version, g.execution_id::text AS execution_id
            FROM regsho_daily_lines l JOIN core_calc_lineage g ON g.capture_key = l.capture_key AND g.calc_name = 'regsho_daily_volume'
           WHERE l.capture_key = ANY(${bind(keys)}::int[]) ORDER BY l.line_number`,
    columns: [
      column('symbol', 'STRING'), ...VOLUME_COLUMNS, column('source_line_number', 'INT32'), column('calc_name', 'STRING'), column('calc_version', 'INT32'),
      column('execution_id', 'STRING'), ...LINEAGE_COLUMNS,
    ],
  },
  /** Per symbol of a trade date, its facilities summed (regsho_symbol_daily): one file per trade date, by symbol. */
  symbol_daily: {
    grain: 'trade_date',
    rows: (keys) => (bind) => `SELECT l.symbol, ${SUMS},
                 array_to_string(array_agg(k.market_code ORDER BY k.market_code), ',') AS market_codes,
                 array_to_string(array_agg(k.capture_id ORDER BY k.market_code), ',') AS capture_ids
            FROM ${capturesOf(bind(keys))} k JOIN regsho_daily_lines l ON l.capture_key = k.capture_key
           GROUP BY l.symbol ORDER BY l.symbol COLLATE "C"`,
    columns: [column('symbol', 'STRING'), ...VOLUME_COLUMNS, ...RATIO_COLUMNS, column('market_codes', 'STRING'), column('capture_ids', 'STRING')],
  },
  /**
   * Per symbol of a week (Monday to Friday, named by its Friday as OTC's weeks are), its days and facilities summed
   * (regsho_symbol_week): one file per week, by symbol; trading_days counts the days the symbol has a line.
   */
  symbol_week: {
    grain: 'week_ending',
    rows: (keys) => (bind) => `SELECT l.symbol, count(DISTINCT k.trade_date)::int AS trading_days, ${SUMS},
                 array_to_string(array_agg(k.capture_id ORDER BY k.trade_date, k.market_code), ',') AS capture_ids
            FROM ${capturesOf(bind(keys))} k JOIN regsho_daily_lines l ON l.capture_key = k.capture_key
           GROUP BY l.symbol ORDER BY l.symbol COLLATE "C"`,
    columns: [column('symbol', 'STRING'), column('trading_days', 'INT32'), ...VOLUME_COLUMNS, ...RATIO_COLUMNS, column('capture_ids', 'STRING')],
  },
};
