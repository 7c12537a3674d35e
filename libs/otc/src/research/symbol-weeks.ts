import type { Queryable } from '@spine/platform/db/pool';
import { VENUE_TYPES, type VenueType } from '../venue-types.ts';
import { selectedCaptures, type CaptureScope } from './capture-selection.ts';
import { worstQualitySql } from './capture-state.ts';
import { HHI_CALC, HHI_IN_SYMBOL_ROWS, hhiRelation, hhiVersionNotRun } from './hhi-version.ts';
import { rollingFigures, windowStart } from './rolling.ts';
import type { RollingFigures, SymbolWeek } from './response-schemas.ts';

interface StoredWeek extends Omit<SymbolWeek, keyof RollingFigures> {
  /** The other venue type's capture the ATS share was computed with. */
  pair_capture_id: string | null;
  /** Whether the HHI version read has run on the row's capture (always, for the current version). */
  hhi_run: boolean;
}

/**
 * The stored weekly figures of `symbols` in the captures `scope` selects (both venue types are selected, whatever
 * `venueTypes` asks for, since the ATS share needs the pair), one row per symbol x week x tier x venue type. The HHI
 * is `hhiVersion`'s, or without one the version the contract view serves for each capture.
 */
async function storedWeeks(db: Queryable, scope: CaptureScope, symbols: readonly string[], venueTypes: readonly VenueType[],
  hhiVersion: number | undefined): Promise<StoredWeek[]> {
  const selection = selectedCaptures({ ...scope, venueTypes: VENUE_TYPES }, 5);
  // Each served capture gets its verdict and its week's pair (the week's two captures, one of each venue type; the
  // selection keeps one capture per partition) once, in one materialized table, before the symbols are looked up: the
  // planner estimates a CTE at one row, and joined to the pairs afterwards it compared every row with every pair
  // (20,000 comparisons for a 104-week history, a fifth of the query). It also gets the HHI version read from it (the
  // one asked for, or the current one) and whether that version ran on it.
  const { rows } = await db.query<StoredWeek>(
    `WITH caps AS (${selection.sql}),
     weeks AS (
       SELECT week_ending, tier,
              max(capture_key) FILTER (WHERE venue_type = 'ATS') AS ats_key, max(capture_key) FILTER (WHERE venue_type = 'NON_ATS') AS non_ats_key,
              max(capture_id) FILTER (WHERE venue_type = 'ATS') AS ats_capture_id, max(capture_id) FILTER (WHERE venue_type = 'NON_ATS') AS non_ats_capture_id
         FROM caps GROUP BY week_ending, tier),
     served AS MATERIALIZED (
       SELECT c.capture_id, c.capture_key, c.week_ending, c.tier, c.venue_type, c.revision, p.pair_key,
              CASE WHEN p.pair_key IS NULL THEN NULL WHEN c.venue_type = 'ATS' THEN w.non_ats_capture_id ELSE w.ats_capture_id END AS pair_capture_id,
              COALESCE(${worstQualitySql('c.capture_id')}, 'PASS') AS quality_status,
              COALESCE($4::int, (SELECT g.calc_version FROM core_calc_lineage g WHERE g.capture_key = c.capture_key AND g.calc_name = $3)) AS hhi_version,
              $4::int IS NULL OR EXISTS (SELECT 1 FROM core_calc_runs r WHERE r.capture_key = c.capture_key AND r.calc_name = $3 AND r.calc_version = $4) AS hhi_run
         FROM caps c
         JOIN weeks w ON w.week_ending = c.week_ending AND w.tier = c.tier
         LEFT JOIN otc_ats_share_pairs p ON p.ats_capture_key = w.ats_key AND p.non_ats_capture_key = w.non_ats_key
        WHERE c.venue_type = ANY($2::text[]))
     SELECT to_char(c.week_ending, 'YYYY-MM-DD') AS week_ending, c.tier, c.venue_type, s.symbol, s.issue_name,
            s.total_volume::float8 AS total_volume, s.total_trades::float8 AS total_trades, s.venue_count,
            s.avg_trade_size::float8 AS avg_trade_size,
            (CASE WHEN c.hhi_version = ${HHI_IN_SYMBOL_ROWS} THEN s.hhi
                  ELSE (SELECT h.hhi FROM ${hhiRelation(hhiVersion)} h WHERE h.capture_id = c.capture_id AND h.symbol = s.symbol) END)::float8 AS hhi,
            s.top_mpid, s.top_venue_share_pct::float8 AS top_venue_share_pct,
            x.ats_share_pct::float8 AS ats_share_pct, c.pair_capture_id, c.hhi_run, c.quality_status, c.capture_id, c.revision
       FROM served c
       JOIN otc_week_symbols s ON s.capture_key = c.capture_key AND s.symbol = ANY($1::text[])
       JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'otc_symbol_summary'
       LEFT JOIN otc_ats_share_symbols x ON x.pair_key = c.pair_key AND x.symbol = s.symbol
      ORDER BY s.symbol COLLATE "C", c.tier, c.venue_type, c.week_ending`,
    [symbols, venueTypes, HHI_CALC, hhiVersion ?? null, ...selection.params],
  );
  return rows;
}

/**
 * Weekly figures with their rolling 6-week figures computed from the same point in time: the weeks of `scope` are
 * read from 5 weeks before `from`, so the first week's window is whole. Returns the rows of `from`..`to` and the
 * captures each row's figures were read from (its own, its ATS share's pair, the weeks of its window).
 * With `hhiVersion`, the HHI is that major version's: a ConflictError if it has not run on a capture of a row returned
 * (rather than a NULL that reads as "no volume").
 */
export async function symbolWeeks(db: Queryable, scope: CaptureScope, symbols: readonly string[], venueTypes: readonly VenueType[],
  hhiVersion?: number): Promise<{ row: SymbolWeek; captures: string[] }[]> {
  const from = scope.from ? windowStart(scope.from) : undefined;
  const stored = await storedWeeks(db, { ...scope, from }, symbols, venueTypes, hhiVersion);
  const missing = new Map<string, { capture_id: string; week_ending: string }>();
  const out: { row: SymbolWeek; captures: string[] }[] = [];
  for (let i = 0; i < stored.length;) {
    let j = i;
    const first = stored[i]!;
    while (j < stored.length && stored[j]!.symbol === first.symbol && stored[j]!.tier === first.tier && stored[j]!.venue_type === first.venue_type) j++;
    const series = stored.slice(i, j);
    const rolling = rollingFigures(series);
    series.forEach(({ pair_capture_id, hhi_run, ...week }, k) => {
      if (scope.from && week.week_ending < scope.from) return;
      if (!hhi_run) missing.set(week.capture_id, { capture_id: week.capture_id, week_ending: week.week_ending });
      const windowFrom = windowStart(week.week_ending);
      const window = series.filter((w) => w.week_ending >= windowFrom && w.week_ending <= week.week_ending).map((w) => w.capture_id);
      out.push({ row: { ...week, ...rolling[k]! }, captures: [...window, ...(pair_capture_id ? [pair_capture_id] : [])] });
    });
    i = j;
  }
  if (missing.size > 0) throw hhiVersionNotRun(hhiVersion!, [...missing.values()], new Set(out.map((o) => o.row.capture_id)).size);
  return out;
}
