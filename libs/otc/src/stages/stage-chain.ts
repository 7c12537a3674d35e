import type { StageSpec } from '@spine/platform';

/**
 * A week's chain: fetched on its own queue, then the calculation graph's stages. Rolling windows and research
 * snapshots read the neighbouring weeks of their tier and venue type.
 */
export const OTC_STAGES = [
  { name: 'fetch', queue: 'fetch', spansNeighbours: false },
  { name: 'ingest', queue: 'stage', spansNeighbours: false },
  { name: 'normalize', queue: 'stage', spansNeighbours: false },
  { name: 'aggregate', queue: 'stage', spansNeighbours: false },
  { name: 'rolling', queue: 'stage', spansNeighbours: true },
  { name: 'snapshot', queue: 'stage', spansNeighbours: true },
] as const satisfies readonly StageSpec[];

/** Stages over neighbouring weeks lock the series and run in a backfill's window job. */
export const WINDOW_STAGES: ReadonlySet<string> = new Set(OTC_STAGES.filter((s) => s.spansNeighbours).map((s) => s.name));
