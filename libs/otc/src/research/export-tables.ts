import type { ExportColumn, ExportColumnType } from '@spine/platform/research/export-files';
import type { ExportTableName } from './request-schemas.ts';

export interface ExportTable {
  /**
   * The rows of one capture, `key` (by default `$1`) being its `by` key, in a stable order, with the calculation that
   * made them; given `symbol` (a parameter such as `$2`), only that symbol's rows, where the table has a symbol (`bySymbol`).
   */
  sql(symbol?: string, key?: string): string;
  /** Whether rows can be chosen by symbol (`sql(symbol)`). */
  bySymbol: boolean;
  by: 'capture_key' | 'capture_id';
  /** Its own columns, then the lineage columns every table shares (LINEAGE_COLUMNS). */
  columns: ExportColumn[];
}

const column = (name: string, type: ExportColumnType, nullable = false): ExportColumn => ({ name, type, nullable });

/**
 * The capture each row was read from and both of its clocks: the same for every row of a file, filled in by the
 * exporter. week_ending, tier and venue_type are the Hive partition directories, not columns.
 */
export const LINEAGE_COLUMNS: ExportColumn[] = [
  column('capture_id', 'STRING'), column('revision', 'INT32'), column('captured_at', 'STRING'), column('published_on', 'STRING'),
  column('finra_last_update_date', 'STRING', true),
];

const CALC_COLUMNS = [column('calc_name', 'STRING'), column('calc_version', 'INT32'), column('execution_id', 'STRING')];

/** The partition of each row, as columns: in a single-file download (the Hive directories hold them otherwise). */
export const PARTITION_COLUMNS: ExportColumn[] = [column('week_ending', 'STRING'), column('tier', 'STRING'), column('venue_type', 'STRING')];

/** What `spine export --tables` can write, one file per capture (partition). */
export const EXPORT_TABLES: Record<ExportTableName, ExportTable> = {
  /** The lines FINRA published (otc_venue_volume), in the file's order. */
  venue_volume: {
    by: 'capture_key',
    bySymbol: true,
    sql: (symbol, key = '$1') => `SELECT l.symbol, l.mpid, l.firm_crd_number, l.issue_name, l.market_participant_name, l.total_volume, l.total_trades,
                 l.line_number AS source_line_number, g.calc_name, g.calc_version, g.execution_id::text AS execution_id
            FROM otc_week_lines l JOIN core_calc_lineage g ON g.capture_key = l.capture_key AND g.calc_name = 'otc_venue_volume'
           WHERE l.capture_key = ${key} ${symbol ? `AND l.symbol = ${symbol}` : ''} ORDER BY l.line_number`,
    columns: [
      column('symbol', 'STRING'), column('mpid', 'STRING'), column('firm_crd_number', 'INT64', true), column('issue_name', 'STRING'),
      column('market_participant_name', 'STRING'), column('total_volume', 'INT64'), column('total_trades', 'INT64'), column('source_line_number', 'INT32'),
      ...CALC_COLUMNS, ...LINEAGE_COLUMNS,
    ],
  },
  /**
   * Per symbol of the week: venues, volume, trades, concentration (otc_symbol_summary). The HHI is v1's (0..1) whichever
   * version of otc_symbol_concentration is current: an exported column keeps one scale across the files of a dataset.
   */
  symbol_summary: {
    by: 'capture_key',
    bySymbol: true,
    sql: (symbol, key = '$1') => `SELECT s.symbol, s.issue_name, s.venue_count, s.total_volume, s.total_trades, s.avg_trade_size::float8 AS avg_trade_size,
                 s.liquidity_score::float8 AS liquidity_score, s.hhi::float8 AS hhi, s.top_mpid, s.top_venue_share_pct::float8 AS top_venue_share_pct,
                 g.calc_name, g.calc_version, g.execution_id::text AS execution_id
            FROM otc_week_symbols s JOIN core_calc_lineage g ON g.capture_key = s.capture_key AND g.calc_name = 'otc_symbol_summary'
           WHERE s.capture_key = ${key} ${symbol ? `AND s.symbol = ${symbol}` : ''} ORDER BY s.symbol COLLATE "C"`,
    columns: [
      column('symbol', 'STRING'), column('issue_name', 'STRING'), column('venue_count', 'INT32'), column('total_volume', 'INT64'),
      column('total_trades', 'INT64'), column('avg_trade_size', 'DOUBLE'), column('liquidity_score', 'DOUBLE'), column('hhi', 'DOUBLE', true),
      column('top_mpid', 'STRING'), column('top_venue_share_pct', 'DOUBLE', true), ...CALC_COLUMNS, ...LINEAGE_COLUMNS,
    ],
  },
  /** The week's venue table: volume, trades, symbols, market share and rank per venue (otc_venue_share). */
  venue_share: {
    by: 'capture_id',
    bySymbol: false,
    sql: (_symbol, key = '$1') => `SELECT v.mpid, v.market_participant_name, v.total_volume, v.total_trades, v.symbol_count, v.market_share_pct::float8 AS market_share_pct,
                 v.volume_rank, v.calc_name, v.calc_version, v.execution_id::text AS execution_id
            FROM otc_venue_share v WHERE v.capture_id = ${key} ORDER BY v.volume_rank, v.mpid COLLATE "C"`,
    columns: [
      column('mpid', 'STRING'), column('market_participant_name', 'STRING'), column('total_volume', 'INT64'), column('total_trades', 'INT64'),
      column('symbol_count', 'INT32'), column('market_share_pct', 'DOUBLE'), column('volume_rank', 'INT32'), ...CALC_COLUMNS, ...LINEAGE_COLUMNS,
    ],
  },
};
