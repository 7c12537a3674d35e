import { describe, expect, it } from 'vitest';
import { rollingFigures } from '../../src/research/rolling.ts';

const week = (week_ending: string, total_volume: number, total_trades = 1) => ({ week_ending, total_volume, total_trades });

describe('rolling 6-week figures of a series', () => {
  it('counts only the weeks present in the 6 weeks ending at each week, and rounds means half-up', () => {
    const figures = rollingFigures([
      week('2025-10-03', 100, 3), week('2025-10-10', 200, 4), week('2025-10-24', 301, 5),
      week('2025-10-31', 400, 6), week('2025-11-07', 500, 7), week('2025-11-14', 601, 8),
    ]);
    expect(figures.map((f) => f.rolling_weeks_in_window)).toEqual([1, 2, 3, 4, 5, 5]);
    expect(figures.map((f) => f.rolling_is_complete)).toEqual([false, false, false, false, false, false]);
    // (100 + 200 + 301) / 3 = 200.333...; the last window (10-10 .. 11-14) drops 10-03: (200 + 301 + 400 + 500 + 601) / 5 = 400.4
    expect(figures[2]!.rolling_mean_volume).toBe(200.33);
    expect(figures[5]!).toMatchObject({ rolling_mean_volume: 400.4, rolling_min_volume: 200, rolling_max_volume: 601, rolling_mean_trades: 6, rolling_min_trades: 4, rolling_max_trades: 8 });
    expect(rollingFigures([week('2025-10-03', 1), week('2025-10-10', 2)])[1]!.rolling_mean_volume).toBe(1.5);
    expect(rollingFigures([week('2025-10-03', 1), week('2025-10-10', 0), week('2025-10-17', 0), week('2025-10-24', 0)])[3]!.rolling_mean_volume).toBe(0.25);
  });

  it('compares the 2 newest with the 2 oldest weeks from 4 weeks on: UP, DOWN, FLAT (the 5% band exclusive), NULL on a zero base', () => {
    const trend = (volumes: number[]) => {
      const last = rollingFigures(volumes.map((v, i) => week(['2025-10-03', '2025-10-10', '2025-10-17', '2025-10-24', '2025-10-31', '2025-11-07'][i]!, v))).at(-1)!;
      return [last.trend_pct, last.trend_direction];
    };
    expect(trend([100, 100, 100])).toEqual([null, null]);
    expect(trend([100, 100, 110, 110])).toEqual([10, 'UP']);
    expect(trend([100, 100, 95, 95])).toEqual([-5, 'FLAT']);
    expect(trend([100, 100, 105, 105])).toEqual([5, 'FLAT']);
    expect(trend([100, 100, 105, 106])).toEqual([5.5, 'UP']);
    expect(trend([300, 300, 1, 1, 100, 99])).toEqual([-66.83, 'DOWN']);
    expect(trend([0, 0, 5, 5])).toEqual([null, null]);
    // 2/3 of a percent: -0.666... rounds to -0.67, away from zero.
    expect(trend([150, 150, 149, 149])).toEqual([-0.67, 'FLAT']);
  });
});
