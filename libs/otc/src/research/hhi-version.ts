import { parseCalcVersion, versionOutput } from '@spine/platform/calcs/calculation-spec';
import { OTC_CALCULATIONS } from '../stages/otc-calculations.ts';
import { ConflictError } from '@spine/platform/research/errors';

/** The calculation whose HHI (hhi) the symbol answers carry. */
export const HHI_CALC = 'otc_symbol_concentration';

const registered = OTC_CALCULATIONS[HHI_CALC]!;

/** The major versions of the HHI the code declares (the registry; `spine calcs sync` copies them to core_calc_versions). */
export const HHI_VERSIONS: readonly number[] = registered.map((v) => parseCalcVersion(v.spec.version).major);

/**
 * The version whose HHI is otc_week_symbols.hhi, which ingest writes for every capture and the symbol answers read
 * their other figures from: read there, not through its view (otc_symbol_concentration_v1), it costs no lookup per row
 * (the view's lookups were 20 of 38 ms of a 1,000-symbol snapshot page; CASE evaluates the other branch's subquery
 * only for the rows of other versions). Whether it ran on a capture is checked apart (core_calc_runs).
 */
export const HHI_IN_SYMBOL_ROWS = 1;

/**
 * The relation an answer reads the HHI from, by capture_id and symbol: without a version, the contract view (per
 * capture, the version its core_calc_lineage row names); with one, that version's own view, whether current or not.
 */
export function hhiRelation(version: number | undefined): string {
  if (version === undefined) return registered[0]!.spec.lineage.output;
  const entry = registered.find((v) => parseCalcVersion(v.spec.version).major === version);
  if (!entry) throw new Error(`${HHI_CALC} has no version ${version}: the request schema admits only ${HHI_VERSIONS.join(', ')}`);
  return versionOutput(entry.spec);
}

/** The calculation version an answer read instead of the current one, as provenanceOf takes it. */
export function hhiPick(version: number | undefined): Record<string, number> {
  return version === undefined ? {} : { [HHI_CALC]: version };
}

/** An explicitly picked HHI version has not run on some captures the answer needs: the error naming them and the fix. */
export function hhiVersionNotRun(version: number, missing: readonly { capture_id: string; week_ending: string }[], needed: number): ConflictError {
  const weeks = [...new Set(missing.map((c) => c.week_ending))].sort();
  return new ConflictError(`${HHI_CALC} v${version} has not run on ${missing.length} of the ${needed} captures this answer needs ` +
    `(weeks ${weeks.join(', ')}): run spine calcs run ${HHI_CALC} --version ${version} --weeks ${weeks.join(',')}`);
}
