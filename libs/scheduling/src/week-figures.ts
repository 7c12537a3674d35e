import type { PeriodCalendar, Queryable, SeriesKey } from '@spine/platform';
import type { Schedule } from './schedule.ts';

/** How many periods (weeks, trading days) before a period its records are averaged over. */
export const ROLLING_WEEKS = 6;

/** The stage whose row count is a capture's records: the source lines it accepted. */
const RECORDS_STAGE = 'ingest';

export interface QualityProblem {
  check: string;
  status: 'WARN' | 'FAIL';
  message: string;
}

/** What the data of one week looks like, from its current capture: the newest one that completed the schedule's stage. */
export interface WeekFigures {
  week_ending: string;
  capture_id: string;
  records: number | null;
  /** Mean records of the periods loaded among the ROLLING_WEEKS before this one; null when none is. */
  records_rolling_average: number | null;
  /**
   * The capture's quality checks as one number in 0..1: the mean of its verdicts, PASS 1, WARN 0.5, FAIL 0 (with five
   * checks, one FAIL gives 0.8, two 0.6); null before any check ran.
   */
  quality_score: number | null;
  /** The capture's checks that did not pass. */
  problems: QualityProblem[];
}

/**
 * The figures of a schedule's series for each of `weeks` (its periods) that has a current capture (periods without
 * one are left out), in one query over core_captures, core_manifest and core_quality. `periods` says which periods
 * come before each: six weeks, or six trading days around a holiday.
 */
export async function weekFigures(db: Queryable, schedule: Pick<Schedule, 'domain' | 'stage'>, series: SeriesKey, periods: PeriodCalendar, weeks: string[]): Promise<Map<string, WeekFigures>> {
  if (weeks.length === 0) return new Map();
  const unique = [...new Set(weeks)];
  const windowStarts = unique.map((w) => periods.shift(w, -ROLLING_WEEKS));
  const { rows } = await db.query<{ week_ending: string; capture_id: string; records: string | null; records_rolling_average: string | null; quality_score: string | null; problems: QualityProblem[] }>(
    `WITH wanted AS (SELECT * FROM unnest($5::date[], $6::date[]) AS w (week_ending, window_start)),
     current AS (
       SELECT DISTINCT ON (c.period_end) c.period_end AS week_ending, c.capture_id FROM core_captures c
         JOIN core_manifest m ON m.domain = c.domain AND m.period_end = c.period_end AND m.key_1 = c.key_1 AND m.key_2 = c.key_2
                             AND m.capture_id = c.capture_id AND m.stage = $4 AND m.status = 'completed'
        WHERE c.domain = $1 AND c.key_1 = $2 AND c.key_2 = $3
          AND c.period_end BETWEEN (SELECT min(window_start) FROM wanted) AND (SELECT max(week_ending) FROM wanted)
        ORDER BY c.period_end, c.revision DESC),
     records AS (
       SELECT cur.week_ending, cur.capture_id, m.row_count AS records FROM current cur
         LEFT JOIN core_manifest m ON m.domain = $1 AND m.period_end = cur.week_ending AND m.key_1 = $2 AND m.key_2 = $3
                                  AND m.capture_id = cur.capture_id AND m.stage = $7)
     SELECT to_char(r.week_ending, 'YYYY-MM-DD') AS week_ending, r.capture_id, r.records,
            (SELECT avg(p.records) FROM records p WHERE p.week_ending >= w.window_start AND p.week_ending < r.week_ending) AS records_rolling_average,
            q.quality_score, q.problems
       FROM records r
       JOIN wanted w ON w.week_ending = r.week_ending
       LEFT JOIN LATERAL (
         SELECT avg(CASE q.status WHEN 'PASS' THEN 1 WHEN 'WARN' THEN 0.5 ELSE 0 END) AS quality_score,
                COALESCE(jsonb_agg(jsonb_build_object('check', q.check_name, 'status', q.status, 'message', q.message) ORDER BY q.check_name)
                           FILTER (WHERE q.status <> 'PASS'), '[]') AS problems
           FROM core_quality q WHERE q.capture_id = r.capture_id) q ON true`,
    [schedule.domain, series.key1, series.key2, schedule.stage, unique, windowStarts, RECORDS_STAGE],
  );
  const number = (v: string | null) => (v === null ? null : Number(v));
  return new Map(rows.map((r) => [r.week_ending, {
    week_ending: r.week_ending, capture_id: r.capture_id, records: number(r.records), records_rolling_average: number(r.records_rolling_average),
    quality_score: number(r.quality_score), problems: r.problems,
  }]));
}
