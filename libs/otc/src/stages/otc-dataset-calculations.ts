import type { DatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import { runCalcVersion } from './calc-version-run.ts';
import { OTC_CALCULATIONS, otcCalculationProblems } from './otc-calculations.ts';

/** OTC's calculations as the dataset definition hands them out (loadCalculations): `spine calcs` and start-up's sync. */
export const otcCalculations: DatasetCalculations = {
  registry: OTC_CALCULATIONS,
  problems: otcCalculationProblems,
  runVersion: runCalcVersion,
};
