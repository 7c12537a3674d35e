import { addWeeks } from './week-ending.ts';

/** The weeks of a trailing window of `size` weeks ending at (and including) `anchor`, oldest first. */
export function windowWeeks(anchor: string, size: number): string[] {
  return Array.from({ length: size }, (_, i) => addWeeks(anchor, i - size + 1));
}

/** The anchor weeks whose trailing window of `size` weeks contains `week`: a change to `week` makes them stale. */
export function dependentAnchors(week: string, size: number): string[] {
  return Array.from({ length: size }, (_, i) => addWeeks(week, i));
}
