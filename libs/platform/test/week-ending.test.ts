import { describe, expect, it } from 'vitest';
import { addMonths, addWeeks, weekEndingOnOrBefore, weekEndingProblem, weekEndingsBetween, weekStartDate } from '../src/time/week-ending.ts';

describe('week-ending buckets', () => {
  it('accepts Fridays and explains everything else', () => {
    expect(weekEndingProblem('2025-12-12')).toBeUndefined();
    expect(weekEndingProblem('2025-12-11')).toBe('2025-12-11 is a Thursday; week_ending must be a Friday');
    expect(weekEndingProblem('2025-02-30')).toMatch(/not a date/);
    expect(weekEndingProblem('12/12/2025')).toMatch(/not a date/);
  });

  it('does calendar arithmetic across month, year and DST boundaries', () => {
    expect(addWeeks('2025-12-26', 1)).toBe('2026-01-02');
    expect(addWeeks('2025-03-07', 1)).toBe('2025-03-14');
    expect(weekStartDate('2025-12-12')).toBe('2025-12-08');
    expect(weekEndingOnOrBefore('2025-12-15')).toBe('2025-12-12');
    expect(weekEndingOnOrBefore('2025-12-12')).toBe('2025-12-12');
    expect(weekEndingOnOrBefore('2025-12-14')).toBe('2025-12-12');
    expect(weekEndingsBetween('2025-11-28', '2025-12-12')).toEqual(['2025-11-28', '2025-12-05', '2025-12-12']);
  });

  it('adds calendar months, clamping to the last day of a shorter month', () => {
    expect(addMonths('2025-11-24', -12)).toBe('2024-11-24');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
    expect(addMonths('2025-12-01', 1)).toBe('2026-01-01');
  });
});
