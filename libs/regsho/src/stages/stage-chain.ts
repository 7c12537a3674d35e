import type { StageSpec } from '@spine/platform';

/**
 * A trade date's chain for one facility: fetched on its own queue, then ingested. Nothing else is stored: the day,
 * rolling, week and research figures are views computed when read (migration 1700000001100), since a symbol's day
 * sums facilities that are partitions of their own.
 */
export const REGSHO_STAGES = [
  { name: 'fetch', queue: 'fetch', spansNeighbours: false },
  { name: 'ingest', queue: 'stage', spansNeighbours: false },
] as const satisfies readonly StageSpec[];
