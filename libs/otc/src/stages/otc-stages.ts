import { stageOrder, topologicalOrder, type CalcNode } from '@spine/platform/calc-graph';
import type { StageDefinition } from '@spine/platform/stage-runner';
import type { Calc, PipelineOptions } from '../calcs/calc.ts';
import { rawIngest } from '../calcs/raw-ingest.ts';
import { venueVolume } from '../calcs/venue-volume.ts';
import { computedWithSymbolWeek, symbolWeek } from '../calcs/symbol-week.ts';
import { venueShare } from '../calcs/venue-share.ts';
import { qualityChecks } from '../calcs/quality-checks.ts';
import { weekOverWeekChecks } from '../calcs/week-over-week-checks.ts';
import { rolling6w } from '../calcs/rolling-6w.ts';
import { researchSnapshot } from '../calcs/research-snapshot.ts';
import { symbolAtsShare } from '../calcs/symbol-ats-share.ts';
import { sourceDates } from '../calcs/source-dates.ts';
import { OTC_CODEC } from '../partition-codec.ts';
import { WINDOW_STAGES } from './stage-chain.ts';

/** The implementation of each calculation named in core_calc_dependencies. */
export const OTC_CALCS: Record<string, Calc> = {
  otc_raw: rawIngest,
  otc_source_dates: sourceDates,
  otc_venue_volume: venueVolume,
  otc_symbol_summary: symbolWeek,
  otc_venue_share: venueShare,
  otc_symbol_concentration: computedWithSymbolWeek,
  otc_liquidity_score: computedWithSymbolWeek,
  otc_quality: qualityChecks,
  otc_quality_week_over_week: weekOverWeekChecks,
  otc_symbol_rolling_6w: rolling6w,
  otc_research_snapshot: researchSnapshot,
  otc_symbol_ats_share: symbolAtsShare,
};


/**
 * Builds the week's stages from the calculation graph: stages in the order the graph implies, each running its
 * calculations in dependency order within one transaction. A graph naming a calculation with no implementation,
 * or an implementation the graph lacks, is a deployment error and fails loudly.
 */
export function buildOtcStages(graph: CalcNode[], options: PipelineOptions): StageDefinition[] {
  const missing = graph.filter((n) => !OTC_CALCS[n.calcName]).map((n) => n.calcName);
  const unknown = Object.keys(OTC_CALCS).filter((name) => !graph.some((n) => n.calcName === name));
  if (missing.length || unknown.length) {
    throw new Error(`calculation graph and code disagree: no code for [${missing.join(', ')}], not in graph [${unknown.join(', ')}]; run spine db migrate`);
  }
  const ordered = topologicalOrder(graph);
  return stageOrder(graph).map((stageName) => {
    const calcs = ordered.filter((n) => n.stage === stageName);
    return {
      name: stageName,
      lockNames: WINDOW_STAGES.has(stageName)
        ? (key) => [OTC_CODEC.lockName(key, 'series'), OTC_CODEC.lockName(key, 'partition')]
        : (key) => [OTC_CODEC.lockName(key, 'partition')],
      async run(client, stage) {
        let rowCount = 0;
        const metrics: Record<string, unknown> = {};
        for (const calc of calcs) {
          const started = performance.now();
          const result = await OTC_CALCS[calc.calcName]!({ client, stage, calcName: calc.calcName, calcVersion: calc.calcVersion, options });
          rowCount += result.rows;
          metrics[calc.calcName] = { rows: result.rows, ms: Math.round(performance.now() - started), ...result.metrics };
          if (result.gated) return { status: 'gated', rowCount, metrics };
        }
        return { status: 'completed', rowCount, metrics };
      },
    } satisfies StageDefinition;
  });
}
