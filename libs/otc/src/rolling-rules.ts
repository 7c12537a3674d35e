/**
 * The rolling window's shape and the trend classification of DOMAIN.md. The view otc_symbol_rolling_6w applies them in
 * SQL (migration 960, otc_rolling_figures): changing one needs a migration too.
 */
export const ROLLING_WEEKS = 6;
/** A trend compares the 2 oldest with the 2 newest present weeks, so it needs 4 weeks that do not overlap. */
export const TREND_MIN_WEEKS = 4;
export const TREND_FLAT_BAND_PCT = 5;
