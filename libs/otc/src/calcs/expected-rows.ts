import type { CalculationSpec } from '@spine/platform/calcs/calculation-spec';
import { ingestFigures, type CalcContext, type IngestFigures } from './calc.ts';

/**
 * The grains an OTC spec may expect rows per, each counted from what ingest recorded for the capture (or, for an
 * older ingest that did not record the figure, counted in its lines): a symbol-week is one of the week's symbols,
 * an accepted-line one of the lines ingest accepted.
 */
const GRAINS: Record<string, { figure: keyof Pick<IngestFigures, 'symbols' | 'accepted'>; countLines: string }> = {
  'symbol-week': { figure: 'symbols', countLines: 'count(DISTINCT symbol)' },
  'accepted-line': { figure: 'accepted', countLines: 'count(*)' },
};

/** Specs expecting rows per a grain no counter above knows: a programming error start-up reports. */
export function unknownGrains(specs: readonly CalculationSpec[]): string[] {
  return specs.filter((s) => s.validation.expectedRows !== null && !GRAINS[s.validation.expectedRows.per])
    .map((s) => `${s.name} ${s.version}: expects rows per ${s.validation.expectedRows!.per}, which the OTC domain cannot count`);
}

/** The rows the spec expects for the running capture; null when it declares no expected count. */
export async function expectedRowCount(ctx: CalcContext, spec: CalculationSpec): Promise<number | null> {
  const expected = spec.validation.expectedRows;
  if (expected === null) return null;
  const grain = GRAINS[expected.per];
  if (!grain) throw new Error(unknownGrains([spec])[0]);
  const figure = (await ingestFigures(ctx))[grain.figure];
  if (figure !== undefined) return expected.count * figure;
  const { rows } = await ctx.client.query<{ n: number }>(
    `SELECT ${grain.countLines}::int AS n FROM otc_week_lines WHERE capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)`,
    [ctx.stage.key.captureId]);
  return expected.count * rows[0]!.n;
}
