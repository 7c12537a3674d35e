import { queryWithHashJoins } from '@spine/platform';
import { ROLLING_WEEKS } from '../rolling-rules.ts';
import { clearAnchors } from './partition-inputs.ts';
import type { Calc } from './calc.ts';

/**
 * Research snapshot per symbol and week: summary, top venue, concentration, liquidity, rolling metrics (NULL when
 * absent) and the worst quality verdict of the week x tier. Later weeks whose snapshot read this week are redone.
 */
/**
 * The ATS share each anchor capture's symbols take part in: from the pair with the other venue type's newest
 * aggregated capture (the latest computed). None yet while the other venue type is not aggregated.
 */
const ATS_SHARE_OF_CAPTURE = `(
  SELECT DISTINCT ON (capture_id, symbol) capture_id, symbol, ats_share_pct
    FROM (SELECT ats_capture_id AS capture_id, symbol, ats_share_pct, captured_at FROM otc_symbol_ats_share WHERE ats_capture_id = ANY($6)
          UNION ALL
          SELECT non_ats_capture_id, symbol, ats_share_pct, captured_at FROM otc_symbol_ats_share WHERE non_ats_capture_id = ANY($6)) x
   ORDER BY capture_id, symbol, captured_at DESC)`;

export const researchSnapshot: Calc = async (ctx) => {
  const { client, stage } = ctx;
  const { anchors, recomputed } = await clearAnchors(ctx, 'snapshot', ROLLING_WEEKS - 1, 'otc_research_snapshot');
  // Every joined table is limited to the anchors' captures explicitly: left to derive it, the planner read the whole
  // rolling table on each run, a cost that grew with every week of history.
  const { rowCount } = await queryWithHashJoins(client,
    `WITH q AS (
       SELECT capture_id, CASE max(CASE status WHEN 'FAIL' THEN 2 WHEN 'WARN' THEN 1 ELSE 0 END)
                            WHEN 2 THEN 'FAIL' WHEN 1 THEN 'WARN' ELSE 'PASS' END AS worst
         FROM core_quality WHERE capture_id = ANY($6) GROUP BY capture_id)
     INSERT INTO otc_research_snapshot (capture_id, week_ending, tier, symbol, issue_name, total_volume, total_trades,
       venue_count, avg_trade_size, top_mpid, top_venue_share_pct, hhi, liquidity_score, rolling_mean_volume,
       rolling_weeks_in_window, rolling_is_complete, trend_pct, trend_direction, quality_status, venue_type, ats_share_pct,
       calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT s.capture_id, s.week_ending, s.tier, s.symbol, s.issue_name, s.total_volume, s.total_trades, s.venue_count,
            s.avg_trade_size, c.top_mpid, c.top_venue_share_pct, c.hhi, l.liquidity_score, r.mean_volume,
            r.weeks_in_window, r.is_complete, r.trend_pct, r.trend_direction, COALESCE(q.worst, 'PASS'), s.venue_type, a.ats_share_pct,
            $1, $2, $3, $4, $5
       FROM otc_symbol_summary s
       JOIN otc_symbol_concentration c ON c.capture_id = s.capture_id AND c.symbol = s.symbol
       JOIN otc_liquidity_score l ON l.capture_id = s.capture_id AND l.symbol = s.symbol
       LEFT JOIN otc_symbol_rolling_6w r ON r.capture_id = s.capture_id AND r.symbol = s.symbol AND r.capture_id = ANY($6)
       LEFT JOIN q ON q.capture_id = s.capture_id
       LEFT JOIN ${ATS_SHARE_OF_CAPTURE} a ON a.capture_id = s.capture_id AND a.symbol = s.symbol
      WHERE s.capture_id = ANY($6) AND c.capture_id = ANY($6) AND l.capture_id = ANY($6)`,
    [ctx.calcName, ctx.calcVersion, stage.executionId, stage.batchId, stage.capturedAt, anchors],
  );
  return { rows: rowCount ?? 0, metrics: { recomputed_weeks: recomputed } };
};
