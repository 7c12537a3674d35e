import type { WirePartition } from '@spine/platform';
import type { FreshnessSeverity } from './lag-alerts.ts';
import { ROLLING_WEEKS, type WeekFigures } from './week-figures.ts';

/** A week's records below this share of the average of the weeks before it is an anomaly. */
export const RECORDS_BELOW_AVERAGE_SHARE = 0.5;
/** The name the records anomaly goes by beside the quality checks' names. */
export const RECORDS_BELOW_AVERAGE = 'records_below_rolling_average';

/** Something wrong with a week's data that an operator is told about: a check that did not pass, or too few records. */
export interface QualityFinding {
  check: string;
  severity: FreshnessSeverity;
  message: string;
}

export interface QualityAlert extends QualityFinding, WirePartition {
  change: 'opened' | 'resolved';
}

/** The findings of a week's current capture: each check that did not pass (WARN stays WARN, FAIL is CRITICAL), and records below half their rolling average. */
export function weekFindings(figures: WeekFigures): QualityFinding[] {
  const findings: QualityFinding[] = figures.problems.map((p) => ({ check: p.check, severity: p.status === 'FAIL' ? 'CRITICAL' : 'WARN', message: p.message }));
  const { records, records_rolling_average: average } = figures;
  if (records !== null && average !== null && records < RECORDS_BELOW_AVERAGE_SHARE * average) {
    findings.push({
      check: RECORDS_BELOW_AVERAGE, severity: 'WARN',
      message: `${records} records, ${((records / average) * 100).toFixed(1)}% of the ${ROLLING_WEEKS}-week average ${average.toFixed(1)}`,
    });
  }
  return findings;
}

/**
 * The alert changes one week needs: a finding not yet open opens, an open alert the week's current capture no longer
 * has resolves (a revision fixed it). Nothing changes while the state holds, so a repeated tick notifies nobody.
 */
export function qualityTransitions(week: WirePartition, findings: QualityFinding[], open: QualityFinding[]): QualityAlert[] {
  const key = (f: QualityFinding) => `${f.check} ${f.severity}`;
  const found = new Set(findings.map(key));
  const opened = new Set(open.map(key));
  return [
    ...open.filter((f) => !found.has(key(f))).map((f) => ({ ...week, ...f, change: 'resolved' as const })),
    ...findings.filter((f) => !opened.has(key(f))).map((f) => ({ ...week, ...f, change: 'opened' as const })),
  ];
}
