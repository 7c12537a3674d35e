import type { Queryable } from '@spine/platform';
import { wireSeriesColumns } from '@spine/platform/dataset/wire-partition';
import { scheduleSchema, type Schedule } from './schedule.ts';

const COLUMNS = `schedule_id, domain, stage, ${wireSeriesColumns()}, expected_day_of_week, to_char(expected_time, 'HH24:MI') AS expected_time,
  tolerance_hours, critical_after_hours, publication_lag_weeks, timezone, enabled, lookback_weeks, revision_lookback_weeks, source, period_kind, trading_calendar`;

/** Read on every tick, so edits to the table take effect without a restart. */
export async function loadSchedules(db: Queryable, options: { includeDisabled?: boolean } = {}): Promise<Schedule[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM core_expected_schedules ${options.includeDisabled ? '' : 'WHERE enabled'} ORDER BY domain, key_1, key_2, stage`);
  return rows.map((r) => scheduleSchema.parse(r));
}

/** The columns `spine schedules set` may change, with the SQL type each is stored as. */
export const SETTABLE = {
  expected_day_of_week: 'smallint', expected_time: 'time', tolerance_hours: 'numeric', critical_after_hours: 'numeric',
  publication_lag_weeks: 'integer', timezone: 'text', lookback_weeks: 'integer', revision_lookback_weeks: 'integer', source: 'text', enabled: 'boolean',
} as const;
export type SettableColumn = keyof typeof SETTABLE;

/** Own keys only: `constructor`, `__proto__` and the other names every object answers to are no columns. */
export function isSettable(column: string): column is SettableColumn {
  return Object.hasOwn(SETTABLE, column);
}

export async function updateSchedule(db: Queryable, scheduleId: number, changes: Partial<Record<SettableColumn, string | number | boolean>>): Promise<Schedule | undefined> {
  const entries = Object.entries(changes);
  // The column names go into the SQL text.
  const unknown = entries.map(([column]) => column).filter((column) => !isSettable(column));
  if (unknown.length > 0) throw new Error(`not a column a schedule may change: ${unknown.join(', ')}`);
  const sets = entries.map(([column], i) => `${column} = $${i + 2}::${SETTABLE[column as SettableColumn]}`);
  const { rows } = await db.query(
    `UPDATE core_expected_schedules SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE schedule_id = $1 RETURNING ${COLUMNS}`,
    [scheduleId, ...entries.map(([, v]) => v)],
  );
  return rows[0] ? scheduleSchema.parse(rows[0]) : undefined;
}
