import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { storeQualityResults } from '@spine/platform/quality/quality-store';
import { tierVolumeSwing, venueCountDrop } from '../quality-rules.ts';
import { inputsCte } from './partition-inputs.ts';
import { DOMAIN, type Calc } from './calc.ts';

/**
 * Checks that compare a week with the one before (venue count drop, tier volume swing), for the running week and
 * for the week after it, whose comparison base this week is.
 */
export const weekOverWeekChecks: Calc = async (ctx) => {
  const { client, stage } = ctx;
  const key = stage.key;
  const { rows } = await client.query<{ week_ending: string; capture_id: string; venues: number; volume: string; prev_venues: number | null; prev_volume: string | null }>(
    `WITH ${inputsCte({ week: '$1', tier: '$2', venueType: '$4', capture: '$3', radius: '1' })},
     totals AS (
       SELECT i.week_ending, i.capture_id, count(*)::int AS venues, COALESCE(sum(v.total_volume), 0)::text AS volume
         FROM inputs i LEFT JOIN otc_venue_share v ON v.capture_id = i.capture_id
        GROUP BY i.week_ending, i.capture_id)
     SELECT to_char(t.week_ending, 'YYYY-MM-DD') AS week_ending, t.capture_id, t.venues, t.volume,
            p.venues AS prev_venues, p.volume AS prev_volume
       FROM totals t LEFT JOIN totals p ON p.week_ending = t.week_ending - 7
      WHERE t.week_ending >= $1::date`,
    [key.periodEnd, key.key1, key.captureId, key.key2],
  );
  for (const r of rows) {
    const results = [venueCountDrop(r.prev_venues, r.venues), tierVolumeSwing(r.prev_volume === null ? null : BigInt(r.prev_volume), BigInt(r.volume))];
    await storeQualityResults(client, { domain: DOMAIN, periodEnd: r.week_ending, key1: key.key1, key2: key.key2, captureId: r.capture_id }, stage, results);
  }
  return { rows: rows.length * 2, metrics: { weeks_checked: rows.map((r) => r.week_ending) } };
};

export const weekOverWeekChecksSpec = defineCalculation({
  name: 'otc_quality_week_over_week', version: 'v1.0', stage: 'rolling',
  lineage: { inputs: ['otc_venue_share', 'otc_symbol_summary'], output: 'core_quality' },
  dependencies: { dependsOn: ['otc_symbol_summary', 'otc_venue_share', 'otc_quality'], weeksRequired: 2 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Checks comparing a week with the one before: venue count drop and tier volume swing, for the running week and the week after it.',
    assumptions: ['The week before is its newest capture whose aggregate completed'],
  },
  validation: { outputColumns: ['check_name', 'status'], rowKey: ['check_name'], expectedRows: null },
});
