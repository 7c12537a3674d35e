import { deleteCapture, stampParams, type Calc } from './calc.ts';

/** Silver: one row per natural key (week_ending, tier, symbol, mpid) of the capture, typed and normalized. */
export const venueVolume: Calc = async (ctx) => {
  await deleteCapture(ctx, 'otc_venue_volume');
  const { rowCount } = await ctx.client.query(
    `INSERT INTO otc_venue_volume (capture_id, week_ending, tier, venue_type, symbol, mpid, firm_crd_number, issue_name, market_participant_name,
       total_volume, total_trades, source_line_number, record_hash, calc_name, calc_version, execution_id, batch_id, captured_at)
     SELECT capture_id, week_ending, tier, venue_type, symbol, mpid, firm_crd_number, issue_name, market_participant_name,
            total_weekly_share_quantity, total_weekly_trade_count, line_number, record_hash, $2, $3, $4, $5, $6
       FROM otc_raw WHERE capture_id = $1`,
    stampParams(ctx),
  );
  return { rows: rowCount ?? 0 };
};
