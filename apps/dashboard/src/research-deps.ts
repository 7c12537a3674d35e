import type { DashboardDeps } from './deps.ts';

/** What the research pages need: the dashboard's, and the scripts that draw their charts (chart-assets.ts). */
export interface ResearchDeps extends DashboardDeps {
  chartScripts: readonly string[];
}
