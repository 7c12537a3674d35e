import { SETTABLE } from '@spine/scheduling';
import type { Pool } from '@spine/platform';

/**
 * The run's database is shared by every test file, and so is its publication calendar (core_expected_schedules):
 * a file that edits it must put every row back as it found it, whether its tests pass or not, or the files after
 * it (in any order) see another calendar. Returns the restore, for an afterEach/afterAll or a finally block.
 */
export async function saveSchedules(pool: Pool): Promise<() => Promise<void>> {
  const { rows } = await pool.query('SELECT * FROM core_expected_schedules');
  const columns = Object.keys(SETTABLE);
  return async () => {
    await pool.query(
      `UPDATE core_expected_schedules s SET ${columns.map((c) => `${c} = o.${c}`).join(', ')}
         FROM json_populate_recordset(NULL::core_expected_schedules, $1::json) o WHERE s.schedule_id = o.schedule_id`,
      [JSON.stringify(rows)],
    );
  };
}
