import { z } from 'zod';
import { addWeeks, weekEndingProblem } from '../time/week-ending.ts';

const MAX_WEEKS = 520;

/** A major version as typed: 2, v2 or v2.0 (a minor version never runs apart from its major). */
export const majorVersionText = z.string().trim().regex(/^v?[1-9]\d{0,3}(?:\.0)?$/, 'a major version such as 2 or v2')
  .transform((text) => Number(text.replace(/^v/, '').replace(/\.0$/, '')));

/** Fridays as typed: a comma-separated list (2025-11-07,2025-11-14) or a range (2025-11-07..2025-12-12), oldest first. */
export const weekEndingsText = z.string().trim().transform((text, ctx) => {
  const range = text.split('..');
  const weeks = range.length === 2 ? [range[0]!.trim(), range[1]!.trim()] : text.split(',').map((w) => w.trim());
  for (const week of weeks) {
    const problem = weekEndingProblem(week);
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
  for (let week = from; week <= to && all.length <= MAX_WEEKS; week = addWeeks(week, 1)) all.push(week);
  if (all.length > MAX_WEEKS) {
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_WEEKS} weeks at once` });
    return z.NEVER;
  }
  return all;
});

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
