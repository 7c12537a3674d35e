import type { Queryable, SeriesKey } from '@spine/platform';
import type { FreshnessSeverity } from './lag-alerts.ts';

export interface WeekState {
  week_ending: string;
  /** The schedule's stage completed for the newest capture: nothing left to do. */
  complete: boolean;
  /** Some capture of the week completed: the data is there (a revision may still be in progress), so not late. */
  available: boolean;
  /** The newest capture stopped at the quality gate: re-running the same content would stop there again. */
  gated: boolean;
  capture_id: string | null;
  last_revision_check_at: Date | null;
  open: FreshnessSeverity[];
}

/**
 * Where each week of a series stands: complete when the schedule's stage completed for the week's newest capture,
 * available when any capture completed it, gated when the newest capture stopped at the quality gate; plus the
 * freshness alerts open for it and when it was last re-checked for a revision.
 */
export async function weekStates(db: Queryable, domain: string, series: SeriesKey, stage: string, weeks: string[]): Promise<Map<string, WeekState>> {
  const { rows } = await db.query<WeekState>(
    `WITH wanted AS (SELECT unnest($3::date[]) AS week_ending),
     latest AS (
       SELECT DISTINCT ON (period_end) period_end AS week_ending, capture_id FROM core_captures
        WHERE domain = $1 AND key_1 = $2 AND key_2 = $5 AND period_end = ANY($3::date[]) ORDER BY period_end, revision DESC)
     SELECT to_char(w.week_ending, 'YYYY-MM-DD') AS week_ending, l.capture_id,
            EXISTS (SELECT 1 FROM core_manifest m WHERE m.capture_id = l.capture_id AND m.stage = $4 AND m.status = 'completed') AS complete,
            EXISTS (SELECT 1 FROM core_manifest m JOIN core_captures c ON c.capture_id = m.capture_id
                     WHERE c.domain = $1 AND c.key_1 = $2 AND c.key_2 = $5 AND c.period_end = w.week_ending AND m.stage = $4 AND m.status = 'completed') AS available,
            EXISTS (SELECT 1 FROM core_manifest m WHERE m.capture_id = l.capture_id AND m.status = 'gated') AS gated,
            r.last_revision_check_at,
            COALESCE((SELECT array_agg(a.severity ORDER BY a.severity) FROM core_anomalies a
                       WHERE a.domain = $1 AND a.key_1 = $2 AND a.key_2 = $5 AND a.period_end = w.week_ending AND a.category = 'FRESHNESS'
                         AND a.resolved_at IS NULL), '{}') AS open
       FROM wanted w
       LEFT JOIN latest l ON l.week_ending = w.week_ending
       LEFT JOIN core_data_readiness r ON r.domain = $1 AND r.key_1 = $2 AND r.key_2 = $5 AND r.period_end = w.week_ending`,
    [domain, series.key1, weeks, stage, series.key2],
  );
  return new Map(rows.map((r) => [r.week_ending, r]));
}
