import { withTransaction, type Pool, type PoolClient } from '@spine/platform/db/pool';
import type { RetentionOptions, RetentionResult, RetentionTableResult } from '@spine/platform/dataset/dataset-definition';
import { DOMAIN } from './calcs/calc.ts';

/**
 * Where each table a reader sees keeps its rows. A view of the lean store (migration 600) shows a capture's rows
 * while its calculation's core_calc_lineage row exists, so retiring it removes that row; the stored rows go once no
 * view that reads them shows the capture any more (otc_raw and otc_venue_volume share otc_week_lines: raw lines
 * stay until normalized ones are retired too). otc_venue_share loses its rows directly; otc_symbol_ats_share loses
 * the pairs computed by a retired capture, with their symbols.
 */
const VIEWS: Record<string, string> = {
  otc_raw: 'otc_week_lines',
  otc_venue_volume: 'otc_week_lines',
  otc_symbol_summary: 'otc_week_symbols',
  otc_symbol_concentration: 'otc_week_symbols',
  otc_liquidity_score: 'otc_week_symbols',
  otc_research_snapshot: 'otc_week_symbols',
  otc_symbol_rolling_6w: 'otc_week_symbols',
};
/** The views whose rows each stored table holds (the snapshot reads the rolling windows too). */
const READERS: Record<string, string[]> = {
  otc_week_lines: ['otc_raw', 'otc_venue_volume'],
  // The lines' totals per venue: they go with the lines.
  otc_week_venues: ['otc_raw', 'otc_venue_volume'],
  otc_week_symbols: ['otc_symbol_summary', 'otc_symbol_concentration', 'otc_liquidity_score', 'otc_research_snapshot', 'otc_symbol_rolling_6w'],
  otc_rolling_windows: ['otc_symbol_rolling_6w', 'otc_research_snapshot'],
};
/**
 * Stored rows read by other captures' views as well: a week's symbol rows stay while the window of a capture that
 * still shows its rolling figures reads them (the figures are computed from them when read). $3 is READERS' list.
 */
const STILL_READ: Record<string, string> = {
  otc_week_symbols: `AND NOT EXISTS (SELECT 1 FROM otc_rolling_windows w
                      JOIN core_calc_lineage g ON g.capture_key = w.capture_key AND g.calc_name = ANY($3)
                      CROSS JOIN unnest(w.week_capture_keys) AS k (capture_key)
                     WHERE k.capture_key = s.capture_key)`,
};
/**
 * Stored tables: the statement that deletes the domain's rows of captures whose week ended before a date ($1, $2)
 * and counts the captures and rows it retired.
 */
const TABLES: Record<string, string> = {
  otc_venue_share: `WITH retired AS (
      DELETE FROM otc_venue_share t USING core_captures c
       WHERE c.capture_id = t.capture_id AND c.domain = $1 AND c.period_end < $2::date RETURNING c.capture_key)
    SELECT count(DISTINCT capture_key)::int AS captures, count(*)::int AS rows FROM retired`,
  otc_symbol_ats_share: `WITH pairs AS (
      DELETE FROM otc_ats_share_pairs p USING core_captures c
       WHERE c.capture_key = p.capture_key AND c.domain = $1 AND c.period_end < $2::date RETURNING p.pair_key, p.capture_key),
    symbols AS (DELETE FROM otc_ats_share_symbols x USING pairs WHERE x.pair_key = pairs.pair_key RETURNING x.pair_key)
    SELECT (SELECT count(DISTINCT capture_key) FROM pairs)::int AS captures, (SELECT count(*) FROM symbols)::int AS rows`,
};

export type { RetentionOptions, RetentionResult, RetentionTableResult } from '@spine/platform/dataset/dataset-definition';

/**
 * Applies core_retention_policies of the OTC domain in one transaction: for each table with a `keep`, the captures
 * whose week ended before `asOf - keep` leave it. A dry run does the same work and rolls it back, so its counts are
 * exact. A policy naming a table this code does not know fails the run before anything changes.
 */
export async function applyRetention(pool: Pool, options: RetentionOptions): Promise<RetentionResult> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const rollback = new Error('dry run');
  let result: RetentionResult | undefined;
  try {
    await withTransaction(pool, async (client) => {
      result = await retire(client, asOf, options.dryRun);
      if (options.dryRun) throw rollback;
    });
  } catch (error) {
    if (error !== rollback) throw error;
  }
  return result!;
}

async function retire(client: PoolClient, asOf: string, dryRun: boolean): Promise<RetentionResult> {
  const { rows: policies } = await client.query<{ table_name: string; keep: string | null }>(
    'SELECT table_name, keep::text AS keep FROM core_retention_policies WHERE domain = $1 ORDER BY table_name', [DOMAIN]);
  const unknown = policies.filter((p) => !VIEWS[p.table_name] && !TABLES[p.table_name]).map((p) => p.table_name);
  if (unknown.length) throw new Error(`core_retention_policies names tables spine does not know: ${unknown.join(', ')}`);
  const tables: RetentionTableResult[] = [];
  const cutoffs = new Map<string, string>();
  for (const { table_name: table, keep } of policies) {
    if (keep === null) {
      tables.push({ table, keep, captures: 0, rows: 0 });
      continue;
    }
    const { rows: [cut] } = await client.query<{ cutoff: string }>(`SELECT to_char($1::date - $2::interval, 'YYYY-MM-DD') AS cutoff`, [asOf, keep]);
    cutoffs.set(table, cut!.cutoff);
    tables.push({ table, keep, ...(VIEWS[table] ? await retireView(client, table, cut!.cutoff) : await retireTable(client, table, cut!.cutoff)) });
  }
  const freed: Record<string, number> = {};
  for (const [stored, readers] of Object.entries(READERS)) {
    // Only captures older than a cutoff of this run: a capture still in the pipeline has stored rows before its
    // calculations stamp their lineage, and must keep them.
    const cutoff = readers.map((r) => cutoffs.get(r)).filter((c): c is string => c !== undefined).sort().at(-1);
    if (!cutoff) continue;
    const { rowCount } = await client.query(
      `DELETE FROM ${stored} s USING core_captures c
        WHERE c.capture_key = s.capture_key AND c.domain = $1 AND c.period_end < $2::date
          AND NOT EXISTS (SELECT 1 FROM core_calc_lineage g WHERE g.capture_key = s.capture_key AND g.calc_name = ANY($3))
          ${STILL_READ[stored] ?? ''}`,
      [DOMAIN, cutoff, readers]);
    freed[stored] = rowCount ?? 0;
  }
  return { dry_run: dryRun, as_of: asOf, tables, freed };
}

async function retireView(client: PoolClient, view: string, cutoff: string): Promise<{ captures: number; rows: number }> {
  const { rows } = await client.query<{ captures: number; rows: number }>(
    `WITH retired AS (
       DELETE FROM core_calc_lineage g USING core_captures c
        WHERE c.capture_key = g.capture_key AND c.domain = $1 AND c.period_end < $2::date AND g.calc_name = $3
       RETURNING g.capture_key)
     SELECT count(*)::int AS captures, COALESCE((SELECT count(*) FROM ${VIEWS[view]} s WHERE s.capture_key IN (SELECT capture_key FROM retired)), 0)::int AS rows
       FROM retired`,
    [DOMAIN, cutoff, view]);
  return rows[0]!;
}

async function retireTable(client: PoolClient, table: string, cutoff: string): Promise<{ captures: number; rows: number }> {
  const { rows } = await client.query<{ captures: number; rows: number }>(
    TABLES[table]!,
    [DOMAIN, cutoff]);
  return rows[0]!;
}
