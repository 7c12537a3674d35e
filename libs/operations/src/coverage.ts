import type { Queryable } from '@spine/platform';

export type CellState = 'complete' | 'running' | 'failed' | 'gated' | 'partial' | 'missing';

export interface CoverageCell {
  week_ending: string;
  tier: string;
  venue_type: string;
  state: CellState;
  capture_id: string | null;
  revision: number | null;
  stages: Record<string, string>;
  /** The newest batch that ran the week, for the cell's link to its executions. */
  batch_id: string | null;
}

/**
 * The weeks x (tier x venue type) grid: for each of the newest `weeks` weeks and each partition, the stage states of
 * the newest capture and, while none exists, of the newest week execution (running or failed before any capture).
 */
export async function coverageGrid(db: Queryable, domain: string, tiers: readonly string[], weeks: number, lastStage = 'snapshot', venueTypes: readonly string[] = ['ATS', 'NON_ATS']): Promise<CoverageCell[]> {
  const { rows } = await db.query<CoverageCell & { week_status: string | null }>(
    `WITH week_list AS (
       SELECT DISTINCT week_ending FROM (
         SELECT week_ending FROM core_captures WHERE domain = $1
         UNION SELECT week_ending FROM core_executions WHERE stage = 'week' AND week_ending IS NOT NULL) w
       ORDER BY week_ending DESC LIMIT $3),
     cells AS (SELECT w.week_ending, t.tier, v.venue_type FROM week_list w
                 CROSS JOIN unnest($2::text[]) AS t(tier) CROSS JOIN unnest($4::text[]) AS v(venue_type)),
     latest AS (
       SELECT DISTINCT ON (week_ending, tier, venue_type) week_ending, tier, venue_type, capture_id, revision FROM core_captures
        WHERE domain = $1 ORDER BY week_ending, tier, venue_type, revision DESC),
     last_week_run AS (
       SELECT DISTINCT ON (week_ending, tier, venue_type) week_ending, tier, venue_type, status, batch_id FROM core_executions
        WHERE stage = 'week' ORDER BY week_ending, tier, venue_type, started_at DESC)
     SELECT to_char(c.week_ending, 'YYYY-MM-DD') AS week_ending, c.tier, c.venue_type, l.capture_id, l.revision, r.batch_id, r.status AS week_status,
            COALESCE((SELECT jsonb_object_agg(m.stage, m.status) FROM core_manifest m WHERE m.capture_id = l.capture_id), '{}') AS stages
       FROM cells c
       LEFT JOIN latest l ON l.week_ending = c.week_ending AND l.tier = c.tier AND l.venue_type = c.venue_type
       LEFT JOIN last_week_run r ON r.week_ending = c.week_ending AND r.tier = c.tier AND r.venue_type = c.venue_type
      ORDER BY c.week_ending DESC, c.tier, c.venue_type`,
    [domain, tiers, weeks, venueTypes],
  );
  return rows.map(({ week_status, ...cell }) => ({ ...cell, state: cellState(cell.stages, week_status, lastStage) }));
}

function cellState(stages: Record<string, string>, weekStatus: string | null, lastStage: string): CellState {
  if (stages[lastStage] === 'completed') return 'complete';
  if (Object.values(stages).includes('gated')) return 'gated';
  if (weekStatus === 'failed' || Object.values(stages).includes('failed')) return 'failed';
  if (weekStatus === 'running') return 'running';
  if (Object.keys(stages).length > 0) return 'partial';
  return 'missing';
}
