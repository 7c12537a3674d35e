import type { Pool } from '@spine/platform';

/** What an OTC capture's ingest recorded in its manifest metrics (libs/otc/src/calcs/raw-ingest.ts). */
export interface IngestMetrics {
  grouped_by_symbol: boolean;
  rejects_by_reason: Record<string, number>;
  accepted: number;
  symbols: number;
  symbol_pass: 'stream' | 'grouped';
  symbol_runs_spilled?: number;
  venues?: number;
}

export async function ingestMetrics(pool: Pool, captureId: string): Promise<IngestMetrics> {
  const { rows } = await pool.query(`SELECT metrics->'otc_raw' AS m FROM core_manifest WHERE capture_id = $1 AND stage = 'ingest'`, [captureId]);
  return rows[0].m;
}

/** A capture's venue share as readers see it, without its identity and lineage, by MPID. */
export async function venueShareRows(pool: Pool, captureId: string): Promise<unknown[]> {
  const { rows } = await pool.query(
    `SELECT mpid, market_participant_name, total_volume, total_trades, symbol_count, market_share_pct, volume_rank
       FROM otc_venue_share WHERE capture_id = $1 ORDER BY mpid`, [captureId]);
  return rows;
}
