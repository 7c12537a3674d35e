import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import type { Calc } from './calc.ts';

/**
 * FINRA's lastUpdateDate of the version a capture holds: the newest of its lines' dates (a revision moves the dates
 * of the rows it changed). Kept on the capture, where point-in-time reads select by it (core_captures.published_on).
 */
export const sourceDates: Calc = async ({ client, stage, earlier }) => {
  // Ingest, earlier in the stage, found the newest date of the lines it stored while they streamed past: no second
  // pass over the capture's lines (null when none has a date, absent when it could not say).
  const newest = earlier?.otc_raw?.metrics?.newest_last_update_date;
  if (newest !== undefined) {
    await client.query('UPDATE core_captures SET finra_last_update_date = $2::date WHERE capture_id = $1', [stage.key.captureId, newest]);
    return { rows: 0 };
  }
  await client.query(
    `UPDATE core_captures SET finra_last_update_date = (SELECT max(source_last_update_date) FROM otc_week_lines l WHERE l.capture_key = core_captures.capture_key)
      WHERE capture_id = $1`,
    [stage.key.captureId],
  );
  return { rows: 0 };
};

export const sourceDatesSpec = defineCalculation({
  name: 'otc_source_dates', version: 'v1.0', stage: 'ingest',
  lineage: { inputs: ['otc_raw'], output: 'core_captures' },
  dependencies: { dependsOn: ['otc_raw'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: "FINRA's lastUpdateDate of the version a capture holds (the newest of its lines' dates), kept on the capture for point-in-time reads.",
    assumptions: ['A revision moves the lastUpdateDate of the rows it changed'],
  },
  validation: { outputColumns: ['finra_last_update_date', 'published_on'], rowKey: ['capture_id'], expectedRows: null },
});
