import type { Partition, WirePartition } from '@spine/platform';
import { toWireSeries } from '@spine/platform/dataset/wire-partition';
import type { Schedule } from './schedule.ts';

export type FreshnessSeverity = 'WARN' | 'CRITICAL';
export type AlertChange = 'opened' | 'escalated' | 'resolved';

export interface WeekFreshness extends Omit<Partition, 'domain'> {
  expected_at: Date;
  complete: boolean;
  /** Whether the source lists the week as published (FINRA's partitions); null when the source cannot tell. */
  published?: boolean | null;
  /** Severities already open for the week. */
  open: FreshnessSeverity[];
}

export interface AlertTransition extends WirePartition {
  change: AlertChange;
  severity: FreshnessSeverity;
  lag_hours: number;
  expected_at: string;
  /** false: FINRA has not published the week yet; true: published but not loaded; null: the source cannot tell. */
  published?: boolean | null;
}

export function lagHours(now: Date, expectedAt: Date): number {
  return (now.getTime() - expectedAt.getTime()) / 3_600_000;
}

/** The severity a week's lag deserves: WARN past tolerance_hours, CRITICAL past critical_after_hours. */
export function severityFor(schedule: Pick<Schedule, 'tolerance_hours' | 'critical_after_hours'>, lag: number): FreshnessSeverity | undefined {
  if (lag > schedule.critical_after_hours) return 'CRITICAL';
  if (lag > schedule.tolerance_hours) return 'WARN';
  return undefined;
}

/**
 * The state changes a tick makes for one week: a late week opens WARN, then escalates to CRITICAL (both stay open
 * until it completes); a complete week resolves what is open, in one change. Nothing changes while the state holds,
 * so a tick repeated (or run by two replicas) notifies nobody twice.
 */
export function alertTransitions(schedule: Pick<Schedule, 'tolerance_hours' | 'critical_after_hours'>, week: WeekFreshness, now: Date): AlertTransition[] {
  const lag = lagHours(now, week.expected_at);
  const base = { ...toWireSeries(week), week_ending: week.periodEnd, lag_hours: Math.round(lag * 10) / 10, expected_at: week.expected_at.toISOString(), published: week.published ?? null };
  if (week.complete) {
    if (week.open.length === 0) return [];
    const worst: FreshnessSeverity = week.open.includes('CRITICAL') ? 'CRITICAL' : 'WARN';
    return [{ ...base, change: 'resolved', severity: worst }];
  }
  const severity = severityFor(schedule, lag);
  const out: AlertTransition[] = [];
  if (severity && !week.open.includes('WARN')) out.push({ ...base, change: 'opened', severity: 'WARN' });
  if (severity === 'CRITICAL' && !week.open.includes('CRITICAL')) out.push({ ...base, change: 'escalated', severity: 'CRITICAL' });
  return out;
}
