import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { lineAccounting, storeQualityResults } from '@spine/platform/quality/quality-store';
import { marketShareSum, noNegativeVolume } from '../quality-rules.ts';
import type { Calc } from './calc.ts';

/** The capture's own checks: market shares, negative volumes, and every source line accounted for. */
export const qualityChecks: Calc = async (ctx) => {
  const { client, stage } = ctx;
  const captureId = stage.key.captureId;
  const { rows } = await client.query<{ share_sum: string | null; venues: number; negatives: number; accepted: number; rejected: number; data_lines: number | null }>(
    `WITH lines AS (SELECT count(*)::int AS accepted, (count(*) FILTER (WHERE total_volume < 0))::int AS negatives
                     FROM otc_week_lines WHERE capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1))
     SELECT (SELECT sum(market_share_pct) FROM otc_venue_share WHERE capture_id = $1) AS share_sum,
            (SELECT count(*)::int FROM otc_venue_share WHERE capture_id = $1) AS venues,
            (SELECT negatives FROM lines) AS negatives,
            (SELECT accepted FROM lines) AS accepted,
            (SELECT count(*)::int FROM core_rejects WHERE capture_id = $1) AS rejected,
            (SELECT (metrics->'otc_raw'->>'data_lines')::int FROM core_manifest WHERE capture_id = $1 AND stage = 'ingest') AS data_lines`,
    [captureId],
  );
  const r = rows[0]!;
  if (r.data_lines === null) throw new Error(`no ingest record for capture ${captureId}: run ingest first`);
  const results = [
    marketShareSum(r.share_sum === null ? null : Number(r.share_sum), r.venues),
    noNegativeVolume(r.negatives),
    lineAccounting(r.accepted, r.rejected, r.data_lines),
  ];
  await storeQualityResults(client, stage.key, stage, results);
  return { rows: results.length, metrics: { checks: Object.fromEntries(results.map((q) => [q.checkName, q.status])) } };
};

export const qualityChecksSpec = defineCalculation({
  name: 'otc_quality', version: 'v1.0', stage: 'aggregate',
  lineage: { inputs: ['otc_venue_share', 'otc_venue_volume', 'core_rejects'], output: 'core_quality' },
  dependencies: { dependsOn: ['otc_venue_share', 'otc_symbol_summary'], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: "The capture's own quality checks: market shares sum to 100, no negative volume, every source line accounted for.",
    assumptions: ['Market shares are rounded to 4 places, so their sum may miss 100 by the rounding'],
  },
  validation: { outputColumns: ['check_name', 'status'], rowKey: ['check_name'], expectedRows: null },
});
