import { ROLLING_WEEKS, TREND_FLAT_BAND_PCT, TREND_MIN_WEEKS } from '../rolling-rules.ts';
import { addWeeks } from '@spine/platform/time/week-ending';
import type { RollingFigures } from './response-schemas.ts';

/** One week of one symbol's series (one tier and venue type): its volume and trades. */
export interface SeriesWeek {
  week_ending: string;
  total_volume: number;
  total_trades: number;
}

/**
 * The rolling 6-week figures of each week of a series, from the series itself (DOMAIN.md step 5, with the README's
 * rules: only weeks where the symbol traded count; the trend compares the means of the 2 oldest and the 2 newest of
 * them, NULL under 4 weeks or when the older mean is 0; rounding half-up on the exact value). The pipeline stores
 * these per capture, computed from the weeks current when it ran; a point-in-time answer needs them from the weeks
 * current at its as-of point, which is this series.
 *
 * `series` is sorted by week_ending, one row per week.
 */
export function rollingFigures(series: readonly SeriesWeek[]): RollingFigures[] {
  return series.map((week, index) => {
    const oldest = windowStart(week.week_ending);
    let start = index;
    while (start > 0 && series[start - 1]!.week_ending >= oldest) start--;
    const window = series.slice(start, index + 1);
    const volumes = window.map((w) => BigInt(w.total_volume));
    const trades = window.map((w) => BigInt(w.total_trades));
    const n = BigInt(window.length);
    return {
      rolling_weeks_in_window: window.length,
      rolling_is_complete: window.length === ROLLING_WEEKS,
      rolling_mean_volume: roundedRatio(sum(volumes) * 100n, n),
      rolling_min_volume: Number(min(volumes)),
      rolling_max_volume: Number(max(volumes)),
      rolling_mean_trades: roundedRatio(sum(trades) * 100n, n),
      rolling_min_trades: Number(min(trades)),
      rolling_max_trades: Number(max(trades)),
      ...trend(volumes),
    };
  });
}

const windowStarts = new Map<string, string>();

/** The oldest week in the rolling window of the week ending `weekEnding`. */
export function windowStart(weekEnding: string): string {
  let start = windowStarts.get(weekEnding);
  if (start === undefined) {
    // A few thousand weeks at most: date arithmetic once per week, not once per symbol-week.
    start = addWeeks(weekEnding, -(ROLLING_WEEKS - 1));
    windowStarts.set(weekEnding, start);
  }
  return start;
}

function trend(volumes: bigint[]): Pick<RollingFigures, 'trend_pct' | 'trend_direction'> {
  const older = volumes.length >= TREND_MIN_WEEKS ? volumes[0]! + volumes[1]! : 0n;
  if (older === 0n) return { trend_pct: null, trend_direction: null };
  const newer = volumes[volumes.length - 2]! + volumes[volumes.length - 1]!;
  // (newer / 2 - older / 2) / (older / 2) x 100, compared with the band before rounding, as the pipeline does.
  const change = (newer - older) * 100n;
  const band = BigInt(TREND_FLAT_BAND_PCT) * older;
  return {
    trend_pct: roundedRatio(change * 100n, older),
    trend_direction: change > band ? 'UP' : change < -band ? 'DOWN' : 'FLAT',
  };
}

/** numerator / denominator rounded half away from zero to a whole number, then divided by 100: 2 decimal places. */
function roundedRatio(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (2n * denominator);
  return Number(negative ? -rounded : rounded) / 100;
}

const sum = (values: bigint[]) => values.reduce((a, b) => a + b, 0n);
const min = (values: bigint[]) => values.reduce((a, b) => (b < a ? b : a));
const max = (values: bigint[]) => values.reduce((a, b) => (b > a ? b : a));
