import { ROLLING_WEEKS } from '../rolling-rules.ts';
import { stampAnchors, symbolsOf } from './partition-inputs.ts';
import type { Calc } from './calc.ts';

/**
 * Research snapshot per symbol and week: summary, top venue, concentration, liquidity, rolling metrics (NULL when
 * absent), the worst quality verdict of the week x tier and the ATS share. Every one of them is stored already, so
 * the snapshot is the view otc_research_snapshot joining them; this calculation stamps the lineage that makes a
 * capture's snapshot visible, for the running week and for the later weeks whose snapshot reads it (they are
 * recomputed with it, as a stored snapshot was).
 */
export const researchSnapshot: Calc = async (ctx) => {
  const { anchorKeys, recomputed } = await stampAnchors(ctx, 'snapshot', ROLLING_WEEKS - 1);
  return { rows: await symbolsOf(ctx, anchorKeys), metrics: { recomputed_weeks: recomputed } };
};
