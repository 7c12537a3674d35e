import * as z from 'zod';
import { WEEK_PERIODS, type PeriodCalendar } from '../time/period-calendar.ts';

const MAX_PERIODS = 520;

/** A major version as typed: 2, v2 or v2.0 (a minor version never runs apart from its major). */
export const majorVersionText = z.string().trim().regex(/^v?[1-9]\d{0,3}(?:\.0)?$/, 'a major version such as 2 or v2')
  .transform((text) => Number(text.replace(/^v/, '').replace(/\.0$/, '')));

/**
 * Periods as typed: a comma-separated list (2025-11-07,2025-11-14) or a range (2025-11-07..2025-12-12), oldest first;
 * each must name a period of the calendar (a Friday for weeks, a trading day for days).
 */
export const periodsText = (periods: PeriodCalendar) => z.string().trim().transform((text, ctx) => {
  const range = text.split('..');
  const weeks = range.length === 2 ? [range[0]!.trim(), range[1]!.trim()] : text.split(',').map((w) => w.trim());
  for (const week of weeks) {
    const problem = periods.problem(week);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
      return z.NEVER;
    }
  }
  if (range.length !== 2) return [...new Set(weeks)].sort();
  const [from, to] = weeks as [string, string];
  if (from > to) {
    ctx.addIssue({ code: 'custom', message: `the range ${text} ends before it starts` });
    return z.NEVER;
  }
  const all: string[] = [];
  for (let period = from; period <= to && all.length <= MAX_PERIODS; period = periods.shift(period, 1)) all.push(period);
  if (all.length > MAX_PERIODS) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_PERIODS} ${periods.kind.replace('_', ' ')}s at once` });
    return z.NEVER;
  }
  return all;
});

/** Fridays as typed (periodsText of weeks). */
export const weekEndingsText = periodsText(WEEK_PERIODS);

/** Two different major versions, as typed: 1,2. */
export const versionPairText = z.string().trim().transform((text, ctx) => {
  const parts = text.split(',').map((p) => majorVersionText.safeParse(p));
  if (parts.length !== 2 || parts.some((p) => !p.success)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not two major versions such as 1,2` });
    return z.NEVER;
  }
  const [a, b] = parts.map((p) => p.data!) as [number, number];
  if (a === b) {
    ctx.addIssue({ code: 'custom', message: 'compare two different versions' });
    return z.NEVER;
  }
  return [a, b] as [number, number];
});

export const calcNameText = z.string().trim().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a calculation name: lower-case letters, digits and _');
