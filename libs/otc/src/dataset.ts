import { fileURLToPath } from 'node:url';
import type { DatasetDefinition } from '@spine/platform';
import { DOMAIN, PIPELINE } from './domain.ts';
import { OTC_STAGES } from './stages/stage-chain.ts';
import { OTC_CODEC } from './partition-codec.ts';
import { openOtcSource } from './source/otc-source.ts';
import { OTC_QUERY_COMMANDS } from './research/query-commands.ts';
import { symbolsMissing } from './symbols-missing.ts';
import { parseTier, TIERS } from './tiers.ts';
import { FIRST_PUBLISHED_WEEK, parseVenueType, VENUE_TYPES, type VenueType } from './venue-types.ts';

/** FINRA's weekly OTC transparency data (DOMAIN.md): week x tier x venue type. */
export const otcDataset: DatasetDefinition = {
  name: DOMAIN,
  pipeline: PIPELINE,
  title: 'OTC weekly transparency (ATS and non-ATS)',
  publisher: 'FINRA',
  shortTitle: 'OTC',
  period: { kind: 'week', field: 'week_ending', label: 'Week ending' },
  keys: [
    { field: 'tier', label: 'Tier', values: TIERS, parse: parseTier },
    { field: 'venue_type', label: 'Venue type', values: VENUE_TYPES, legacyDefault: 'ATS', parse: parseVenueType },
  ],
  firstPeriod: (series) => FIRST_PUBLISHED_WEEK[series.key2 as VenueType],
  stages: OTC_STAGES,
  // Its own tables, views, graph rows and checks on the core tables (migrations 100, 300, 960, 970, 990), beside its code
  // here and in the image's tree alike (libs/otc/migrations next to libs/otc/src or libs/otc/dist).
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
  // The calculations load with the first stage a process runs: a process that only names datasets (the CLI's
  // commands, the scheduler) never loads them.
  async buildStages(graph, options) {
    const [{ detectFormat }, { buildOtcStages }] = await Promise.all([import('./file-format.ts'), import('./stages/otc-stages.ts')]);
    const raw = options.source;
    let source;
    if (raw) {
      const format = detectFormat(raw.firstLine);
      if (!format) throw new Error(`${raw.uri} is not a FINRA OTC weekly file (header "${raw.firstLine.slice(0, 80)}")`);
      source = { uri: raw.uri, format, open: raw.open };
    }
    return buildOtcStages(graph, { ...options, source });
  },
  codec: OTC_CODEC,
  openSource: openOtcSource,
  prepareFile: async (request) => (await import('./pipeline/run-week.ts')).prepareWeekFile(request),
  applyRetention: async (pool, options) => (await import('./retention.ts')).applyRetention(pool, options),
  symbolsMissing,
  loadCalculations: async () => (await import('./stages/otc-dataset-calculations.ts')).otcCalculations,
  // Its research API and export, loaded when a process serves the API or exports (the dashboard, `spine query`, `spine export`).
  research: async () => (await import('./research/research-module.ts')).OTC_RESEARCH,
  queryCommands: OTC_QUERY_COMMANDS,
};
