import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';
import { RESEARCH_CHARTS_SCRIPT } from './research-charts-script.ts';

export interface ChartAssets {
  /** The scripts the research pages load, in order: the library, then the script that draws the page's charts. */
  scripts: string[];
  router: Router;
}

/**
 * Chart.js, served from the dashboard itself (the Content-Security-Policy allows scripts from this origin only, and
 * the dashboard loads nothing from other sites): its self-contained UMD build, read from the installed package once
 * at start, under a path named after its content so browsers may keep it for a year, and the research pages' chart
 * script beside it. The source map comment is dropped: the map is not served.
 */
export function chartAssets(): ChartAssets {
  // The package's exports do not name the UMD build; it sits beside the CommonJS entry.
  const entry = createRequire(import.meta.url).resolve('chart.js');
  const library = readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
  const libraryPath = `/assets/chart-${createHash('sha256').update(library).digest('hex').slice(0, 16)}.js`;
  const scriptPath = '/assets/research-charts.js';
  const router = Router();
  router.get(libraryPath, (_req, res) => res.type('js').set('Cache-Control', 'public, max-age=31536000, immutable').send(library));
  router.get(scriptPath, (_req, res) => res.type('js').set('Cache-Control', 'no-cache').send(RESEARCH_CHARTS_SCRIPT));
  return { scripts: [libraryPath, scriptPath], router };
}
