import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { ROLLING_WEEKS } from '../rolling-rules.ts';
import { stampAnchors, symbolsOf } from './partition-inputs.ts';
import type { Calc } from './calc.ts';

/**
 * Research snapshot per symbol and week: summary, top venue, concentration, liquidity, rolling metrics (NULL when
 * absent), the worst quality verdict of the week x tier and the ATS share. Every one of them is stored already, so
 * the snapshot is the view otc_research_snapshot joining them; this calculation stamps the lineage that makes a
 * capture's snapshot visible, for the running week and for the later weeks whose snapshot reads it (they are
 * recomputed with it, as a stored snapshot was).
 */
export const researchSnapshot: Calc = async (ctx) => {
  const { anchorKeys, recomputed } = await stampAnchors(ctx, 'snapshot', ROLLING_WEEKS - 1);
  return { rows: await symbolsOf(ctx, anchorKeys), metrics: { recomputed_weeks: recomputed } };
};

export const researchSnapshotSpec = defineCalculation({
  name: 'otc_research_snapshot', version: 'v1.0', stage: 'snapshot',
  lineage: {
    inputs: ['otc_symbol_summary', 'otc_symbol_concentration', 'otc_liquidity_score', 'otc_symbol_rolling_6w', 'core_quality', 'otc_symbol_ats_share'],
    output: 'otc_research_snapshot',
  },
  dependencies: {
    dependsOn: ['otc_symbol_summary', 'otc_symbol_concentration', 'otc_liquidity_score', 'otc_symbol_rolling_6w', 'otc_quality', 'otc_quality_week_over_week', 'otc_symbol_ats_share'],
    weeksRequired: ROLLING_WEEKS,
  },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: "One row per symbol and week joining its summary, top venue, concentration, liquidity, rolling metrics, the capture's worst quality verdict and the ATS share.",
    assumptions: ['HHI is v1 (0..1) whichever concentration version is current: changing it is a major version of the snapshot'],
  },
  validation: {
    outputColumns: ['symbol', 'total_volume', 'hhi', 'liquidity_score', 'rolling_mean_volume', 'trend_direction', 'quality_status', 'ats_share_pct'],
    rowKey: ['symbol'], expectedRows: { count: 1, per: 'symbol-week' }, rowsCountedIn: 'otc_research_snapshot_rows',
  },
});
