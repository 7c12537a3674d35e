import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { stampCapture, type Calc } from './calc.ts';
import { symbolConcentrationSpec } from './symbol-week.ts';

/**
 * Concentration v2: the HHI on venue shares in percent points (0..10,000, the regulators' convention), 2 places,
 * half-up on the exact value, stored in otc_concentration_v2_symbols beside v1's 0..1 in otc_week_symbols; the
 * other columns are v1's. Computed set-based from the capture's lines, so it runs over captures already loaded.
 * Integer arithmetic: hhi * 100 = round(sum(v^2) * 10^6 / total^2), so it is v1's 6-place HHI times 10,000 exactly.
 */
export const symbolConcentrationV2: Calc = async (ctx) => {
  const captureKey = await stampCapture(ctx);
  await ctx.client.query('DELETE FROM otc_concentration_v2_symbols WHERE capture_key = $1', [captureKey]);
  const { rowCount } = await ctx.client.query(
    `WITH v AS (
       SELECT symbol, sum(total_volume::numeric * total_volume) AS squares, sum(total_volume)::numeric AS total
         FROM otc_week_lines WHERE capture_key = $1 GROUP BY symbol)
     INSERT INTO otc_concentration_v2_symbols (capture_key, symbol, hhi)
     SELECT $1, symbol, CASE WHEN total > 0 THEN div(2 * squares * 1000000 + total * total, 2 * total * total) / 100 END FROM v`,
    [captureKey]);
  return { rows: rowCount ?? 0 };
};

export const symbolConcentrationV2Spec = defineCalculation({
  ...symbolConcentrationSpec,
  version: 'v2.0',
  lineage: { ...symbolConcentrationSpec.lineage, versionOutput: 'otc_symbol_concentration_v2' },
  behaviour: { isBreaking: true, replaces: 'v1.0' },
  documentation: {
    description: "Venue concentration per symbol and week: HHI on venue shares in percent points (0..10,000, the regulators' convention), 2 places; the top venue as v1.",
    assumptions: ['Half-up on the exact value: v1 x 10,000 to the digit', 'A zero-volume symbol has a NULL HHI'],
  },
});
