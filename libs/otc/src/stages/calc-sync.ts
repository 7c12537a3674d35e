import { loadCalcGraph } from '@spine/platform/calc-graph';
import { syncCalcSpecs, type SpecSync } from '@spine/platform/calcs/calc-catalog';
import { registeredSpecs } from '@spine/platform/calcs/calc-registry';
import type { Queryable } from '@spine/platform/db/pool';
import { DOMAIN } from '../calcs/calc.ts';
import { OTC_CALCULATIONS } from './otc-calculations.ts';
import { assertOtcCalculations } from './otc-stages.ts';

/**
 * Start-up's check and sync: the registry's specs are checked against the database's graph (CalcSpecMismatchError
 * on any disagreement) and copied into core_calc_versions, where the dashboard and `spine calcs` read them.
 */
export async function syncOtcCalculations(db: Queryable): Promise<SpecSync> {
  assertOtcCalculations(await loadCalcGraph(db, DOMAIN));
  return syncCalcSpecs(db, DOMAIN, registeredSpecs(OTC_CALCULATIONS));
}
