import type { CalcNode } from '@spine/platform/calc-graph';
import { registeredSpecs, registryProblems, type CalcRegistry } from '@spine/platform/calcs/calc-registry';
import type { Calc } from '../calcs/calc.ts';
import { rawIngest, rawIngestSpec } from '../calcs/raw-ingest.ts';
import { sourceDates, sourceDatesSpec } from '../calcs/source-dates.ts';
import { venueVolume, venueVolumeSpec } from '../calcs/venue-volume.ts';
import { computedWithSymbolWeek, liquidityScoreSpec, symbolConcentrationSpec, symbolSummarySpec, symbolWeek } from '../calcs/symbol-week.ts';
import { symbolConcentrationV2, symbolConcentrationV2Spec } from '../calcs/symbol-concentration-v2.ts';
import { venueShare, venueShareSpec } from '../calcs/venue-share.ts';
import { qualityChecks, qualityChecksSpec } from '../calcs/quality-checks.ts';
import { weekOverWeekChecks, weekOverWeekChecksSpec } from '../calcs/week-over-week-checks.ts';
import { rolling6w, rolling6wSpec } from '../calcs/rolling-6w.ts';
import { researchSnapshot, researchSnapshotSpec } from '../calcs/research-snapshot.ts';
import { symbolAtsShare, symbolAtsShareSpec } from '../calcs/symbol-ats-share.ts';
import { unknownGrains } from '../calcs/expected-rows.ts';

/**
 * Every OTC calculation: its spec and code per major version. Adding one is its module, an entry here and the
 * migration that puts it in core_calc_dependencies; a new major version is one more entry in its list.
 */
export const OTC_CALCULATIONS: CalcRegistry<Calc> = {
  otc_raw: [{ spec: rawIngestSpec, run: rawIngest }],
  otc_source_dates: [{ spec: sourceDatesSpec, run: sourceDates }],
  otc_venue_volume: [{ spec: venueVolumeSpec, run: venueVolume }],
  otc_symbol_summary: [{ spec: symbolSummarySpec, run: symbolWeek }],
  otc_venue_share: [{ spec: venueShareSpec, run: venueShare }],
  otc_symbol_concentration: [
    { spec: symbolConcentrationSpec, run: computedWithSymbolWeek },
    { spec: symbolConcentrationV2Spec, run: symbolConcentrationV2 },
  ],
  otc_liquidity_score: [{ spec: liquidityScoreSpec, run: computedWithSymbolWeek }],
  otc_quality: [{ spec: qualityChecksSpec, run: qualityChecks }],
  otc_quality_week_over_week: [{ spec: weekOverWeekChecksSpec, run: weekOverWeekChecks }],
  otc_symbol_rolling_6w: [{ spec: rolling6wSpec, run: rolling6w }],
  otc_research_snapshot: [{ spec: researchSnapshotSpec, run: researchSnapshot }],
  otc_symbol_ats_share: [{ spec: symbolAtsShareSpec, run: symbolAtsShare }],
};

/** Every disagreement between the registry and the graph (registryProblems), and expected rows of a grain OTC cannot count. */
export function otcCalculationProblems(graph: readonly CalcNode[]): string[] {
  return [...registryProblems(OTC_CALCULATIONS, graph), ...unknownGrains(registeredSpecs(OTC_CALCULATIONS))];
}
