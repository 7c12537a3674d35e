import type { QualityResult } from '@spine/platform/quality/quality-store';

/** DOMAIN.md quality checks as pure verdicts over numbers the checks query. */
export const MARKET_SHARE_TOLERANCE = 0.01;
export const VENUE_COUNT_DROP_WARN = 0.2;
export const TIER_VOLUME_SWING_WARN = 0.5;

export function marketShareSum(sumPct: number | null, venues: number): QualityResult {
  const base = { checkName: 'market_share_sum', threshold: MARKET_SHARE_TOLERANCE };
  if (venues === 0 || sumPct === null) return { ...base, status: 'PASS', observed: null, message: 'no venues this week' };
  const off = Math.abs(sumPct - 100);
  return off <= MARKET_SHARE_TOLERANCE + 1e-9
    ? { ...base, status: 'PASS', observed: sumPct, message: `market shares sum to ${sumPct}` }
    : { ...base, status: 'FAIL', observed: sumPct, message: `market shares sum to ${sumPct}, not 100 +- ${MARKET_SHARE_TOLERANCE}` };
}

export function noNegativeVolume(negativeRows: number): QualityResult {
  return {
    checkName: 'no_negative_volume', threshold: 0, observed: negativeRows,
    status: negativeRows === 0 ? 'PASS' : 'FAIL',
    message: negativeRows === 0 ? 'no negative volumes published' : `${negativeRows} rows with negative volume`,
  };
}

export function venueCountDrop(previous: number | null, current: number): QualityResult {
  const base = { checkName: 'venue_count_drop', threshold: VENUE_COUNT_DROP_WARN, observed: current };
  if (previous === null || previous === 0) return { ...base, status: 'PASS', message: 'no previous week to compare' };
  const drop = (previous - current) / previous;
  return drop > VENUE_COUNT_DROP_WARN
    ? { ...base, status: 'WARN', message: `venue count fell from ${previous} to ${current} (${(drop * 100).toFixed(1)}%)` }
    : { ...base, status: 'PASS', message: `venue count ${current} vs ${previous} the week before` };
}

export function tierVolumeSwing(previous: bigint | null, current: bigint): QualityResult {
  const base = { checkName: 'tier_volume_swing', threshold: TIER_VOLUME_SWING_WARN };
  if (previous === null || previous === 0n) return { ...base, status: 'PASS', observed: null, message: 'no previous week volume to compare' };
  // Ratio in exact integer arithmetic (parts per million) so share counts beyond 2^53 compare correctly.
  const swingPpm = Number(((current - previous) * 1_000_000n) / previous) / 1_000_000;
  return Math.abs(swingPpm) > TIER_VOLUME_SWING_WARN
    ? { ...base, status: 'WARN', observed: swingPpm, message: `tier volume moved ${(swingPpm * 100).toFixed(1)}% week over week` }
    : { ...base, status: 'PASS', observed: swingPpm, message: `tier volume moved ${(swingPpm * 100).toFixed(1)}% week over week` };
}
