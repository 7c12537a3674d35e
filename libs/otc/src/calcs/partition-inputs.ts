import { stampCalcLineage } from '@spine/platform/lineage/calc-lineage';
import { calcStamp, ingestFigures, type CalcContext } from './calc.ts';

/**
 * SQL for the captures that feed cross-week calculations around week $W of tier $T: the running capture ($C) for
 * week $W itself, and for every other week within $R weeks the newest capture whose `aggregate` stage completed.
 * Exposes `inputs(week_ending, capture_id)`. Parameters are $W (date), $T (tier), $C (capture) and $R (weeks).
 * (core_captures' period_end is OTC's week_ending, key_1 its tier and key_2 its venue type.)
 */
export function inputsCte(p: { week: string; tier: string; venueType: string; capture: string; radius: string }): string {
  return `inputs AS (
      SELECT ${p.week}::date AS week_ending, ${p.capture}::text AS capture_id
      UNION ALL
      (SELECT DISTINCT ON (c.period_end) c.period_end, c.capture_id
        FROM core_captures c
        JOIN core_manifest m ON m.capture_id = c.capture_id AND m.stage = 'aggregate' AND m.status = 'completed'
       WHERE c.domain = 'otc' AND c.key_1 = ${p.tier} AND c.key_2 = ${p.venueType} AND c.period_end <> ${p.week}::date
         AND c.period_end BETWEEN ${p.week}::date - 7 * ${p.radius}::int AND ${p.week}::date + 7 * ${p.radius}::int
       ORDER BY c.period_end, c.revision DESC))`;
}

/**
 * Later weeks (within `weeks` after the running week) whose `stage` already completed for the capture that
 * `inputsCte` reads for them (the newest capture whose aggregate completed): their results read this week, so they
 * are recomputed with it. Keeps results independent of load order. A week whose newest capture has not reached
 * `stage` yet is left alone: that capture computes its own results when it gets there, and the earlier capture's
 * rows stay as they were (point in time).
 */
export async function staleDependents(ctx: CalcContext, stage: string, weeks: number): Promise<{ week_ending: string; capture_id: string }[]> {
  const { key } = ctx.stage;
  const { rows } = await ctx.client.query<{ week_ending: string; capture_id: string }>(
    `SELECT to_char(newest.period_end, 'YYYY-MM-DD') AS week_ending, newest.capture_id
       FROM (SELECT DISTINCT ON (c.period_end) c.period_end, c.capture_id
               FROM core_captures c
               JOIN core_manifest m ON m.capture_id = c.capture_id AND m.stage = 'aggregate' AND m.status = 'completed'
              WHERE c.domain = 'otc' AND c.key_1 = $1 AND c.key_2 = $5 AND c.period_end > $2::date AND c.period_end <= $2::date + 7 * $3::int
              ORDER BY c.period_end, c.revision DESC) newest
      WHERE EXISTS (SELECT 1 FROM core_manifest m WHERE m.capture_id = newest.capture_id AND m.stage = $4 AND m.status = 'completed')
      ORDER BY newest.period_end`,
    [key.key1, key.periodEnd, weeks, stage, key.key2],
  );
  return rows;
}

/**
 * The anchor captures a window calculation rewrites: the running capture and the later weeks whose `stage` read it.
 * Their lineage for this calculation is stamped with the running execution and, when the calculation stores rows,
 * their old rows in `table` are deleted, ready for it to insert them again. Returns the anchors' capture_keys too.
 */
export async function stampAnchors(ctx: CalcContext, stage: string, weeks: number, table?: string): Promise<{ anchors: string[]; anchorKeys: number[]; recomputed: string[] }> {
  const dependents = await staleDependents(ctx, stage, weeks);
  const anchors = [ctx.stage.key.captureId, ...dependents.map((d) => d.capture_id)];
  const anchorKeys = await stampCalcLineage(ctx.client, anchors, calcStamp(ctx));
  if (table) await ctx.client.query(`DELETE FROM ${table} WHERE capture_key = ANY($1)`, [anchorKeys]);
  return { anchors, anchorKeys, recomputed: dependents.map((d) => d.week_ending) };
}

/** How many symbols the captures of `captureKeys` have: the rows a per-symbol view of their windows shows. */
export async function symbolsOf(ctx: CalcContext, captureKeys: readonly number[]): Promise<number> {
  // The running capture alone (no later week recomputed, as for a week loaded in order): the symbols its ingest
  // stored, which its manifest records, instead of counting them again.
  if (captureKeys.length === 1) {
    const { symbols } = await ingestFigures(ctx);
    if (symbols !== undefined) return symbols;
  }
  const { rows } = await ctx.client.query<{ n: number }>('SELECT count(*)::int AS n FROM otc_week_symbols WHERE capture_key = ANY($1)', [captureKeys]);
  return rows[0]!.n;
}
