import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import type { VenueType } from '../venue-types.ts';
import { DOMAIN, type Calc } from './calc.ts';

/**
 * Per week x tier x symbol: ATS volume, non-ATS volume, and the ATS share of off-exchange volume in percent
 * (ATS / (ATS + non-ATS), 4 places; NULL when the symbol is missing on either side, or both are zero). Runs in the
 * aggregate stage of both venue types and computes once the other one is aggregated too, so whichever lands last
 * computes it, and a revision of either side computes it again (for the new pair of captures). The research
 * snapshot view of both captures reads the newest pair's share.
 */
export const symbolAtsShare: Calc = async (ctx) => {
  const { client, stage } = ctx;
  const key = stage.key;
  // Both venue types' aggregates of the week meet here: the second to arrive waits for the first to commit, so one
  // of them always sees the other's summary.
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${DOMAIN}:${key.key1}:${key.periodEnd}:ats-share`]);
  const other: VenueType = key.key2 === 'ATS' ? 'NON_ATS' : 'ATS';
  const { rows } = await client.query<{ capture_id: string }>(
    `SELECT c.capture_id FROM core_captures c
       JOIN core_manifest m ON m.capture_id = c.capture_id AND m.stage = 'aggregate' AND m.status = 'completed'
      WHERE c.domain = $1 AND c.key_1 = $2 AND c.period_end = $3 AND c.key_2 = $4
      ORDER BY c.revision DESC LIMIT 1`,
    [DOMAIN, key.key1, key.periodEnd, other],
  );
  const otherCapture = rows[0]?.capture_id;
  if (!otherCapture) return { rows: 0, metrics: { waiting_for: other } };
  const [ats, nonAts] = key.key2 === 'ATS' ? [key.captureId, otherCapture] : [otherCapture, key.captureId];
  // The pair is stored once, with the lineage of this computation (a later recomputation of the pair replaces it);
  // its symbols carry only the pair's key.
  const { rows: [pair] } = await client.query<{ pair_key: number }>(
    `INSERT INTO otc_ats_share_pairs (ats_capture_key, non_ats_capture_key, capture_key, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT a.capture_key, n.capture_key, c.capture_key, $4, $5, $6, $7, $8
       FROM core_captures a, core_captures n, core_captures c
      WHERE a.capture_id = $1 AND n.capture_id = $2 AND c.capture_id = $3
     ON CONFLICT (ats_capture_key, non_ats_capture_key) DO UPDATE SET capture_key = EXCLUDED.capture_key, calc_name = EXCLUDED.calc_name,
       calc_version = EXCLUDED.calc_version, execution_id = EXCLUDED.execution_id, batch_id = EXCLUDED.batch_id, captured_at = EXCLUDED.captured_at
     RETURNING pair_key`,
    [ats, nonAts, key.captureId, ctx.calcName, ctx.calcVersion, stage.executionId, stage.batchId, stage.capturedAt],
  );
  await client.query('DELETE FROM otc_ats_share_symbols WHERE pair_key = $1', [pair!.pair_key]);
  const { rowCount } = await client.query(
    `WITH a AS (SELECT symbol, total_volume FROM otc_week_symbols WHERE capture_key = (SELECT ats_capture_key FROM otc_ats_share_pairs WHERE pair_key = $1)),
          n AS (SELECT symbol, total_volume FROM otc_week_symbols WHERE capture_key = (SELECT non_ats_capture_key FROM otc_ats_share_pairs WHERE pair_key = $1))
     INSERT INTO otc_ats_share_symbols (pair_key, ats_volume, non_ats_volume, ats_share_pct, symbol)
     SELECT $1, a.total_volume, n.total_volume,
            CASE WHEN a.total_volume + n.total_volume > 0 THEN round(100 * a.total_volume::numeric / (a.total_volume + n.total_volume), 4) END,
            symbol
       FROM a FULL JOIN n USING (symbol)`,
    [pair!.pair_key],
  );
  return { rows: rowCount ?? 0, metrics: { ats_capture_id: ats, non_ats_capture_id: nonAts } };
};

export const symbolAtsShareSpec = defineCalculation({
  name: 'otc_symbol_ats_share', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['otc_symbol_summary'], output: 'otc_symbol_ats_share' },
  dependencies: { dependsOn: ['otc_symbol_summary'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Per week x tier x symbol: ATS volume, non-ATS volume and the ATS share of off-exchange volume in percent (4 places).',
    assumptions: ['NULL when the symbol is missing on either side or both are zero', 'Computed by whichever venue type aggregates second'],
  },
  // One row per symbol of either venue type's capture: no grain of one capture counts them.
  validation: { outputColumns: ['symbol', 'ats_volume', 'non_ats_volume', 'ats_share_pct'], rowKey: ['symbol'], expectedRows: null },
});
