import type { Pool } from '@spine/platform';

export const OTC_TABLES = [
  'otc_raw', 'otc_venue_volume', 'otc_symbol_summary', 'otc_venue_share', 'otc_symbol_concentration', 'otc_liquidity_score',
  'otc_symbol_rolling_6w', 'otc_research_snapshot', 'otc_symbol_ats_share',
] as const;

const AUDIT = new Set(['execution_id', 'batch_id', 'captured_at', 'checked_at', 'reject_id']);

/** A table's rows without audit fields, in a stable order: what the idempotency and determinism contracts compare. */
export async function tableContents(pool: Pool, table: string): Promise<Record<string, unknown>[]> {
  const { rows } = await pool.query(`SELECT * FROM ${table}`);
  return rows
    .map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !AUDIT.has(k)).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v])))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

export async function allContents(pool: Pool, tables: readonly string[] = [...OTC_TABLES, 'core_rejects', 'core_quality']): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const t of tables) out[t] = await tableContents(pool, t);
  return out;
}

export async function count(pool: Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`, params);
  return Number(rows[0]!.n);
}
