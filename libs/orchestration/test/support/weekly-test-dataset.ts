import type { DatasetDefinition } from '@spine/platform';

function runsNothing(): never {
  throw new Error('the weekly test dataset runs nothing');
}

/**
 * A dataset of no publisher, shaped as the weekly ones are (a fetch, two stages of its own, a window stage), so the
 * orchestration's tests show it needs nothing but a definition. Its stages are never run.
 */
export const weeklyTestDataset: DatasetDefinition = {
  name: 'weekly_test',
  pipeline: 'weekly_test_pipeline',
  title: 'Weekly test dataset',
  publisher: 'the test publisher', shortTitle: 'Test',
  period: { kind: 'week', field: 'week_ending', label: 'Week ending' },
  keys: [
    { field: 'tier', label: 'Tier', values: ['NMS_TIER_1', 'OTC'], parse: (t) => (['NMS_TIER_1', 'OTC'].includes(t) ? t : undefined) },
    { field: 'venue_type', label: 'Venue type', values: ['ATS', 'NON_ATS'], legacyDefault: 'ATS', parse: (t) => (['ATS', 'NON_ATS'].includes(t) ? t : undefined) },
  ],
  firstPeriod: () => '2020-01-03',
  stages: [
    { name: 'download', queue: 'fetch', spansNeighbours: false },
    { name: 'load', queue: 'stage', spansNeighbours: false },
    { name: 'sum', queue: 'stage', spansNeighbours: false },
    { name: 'trend', queue: 'stage', spansNeighbours: true },
  ],
  buildStages: runsNothing,
  prepareFile: runsNothing,
  applyRetention: runsNothing,
  openSource: runsNothing,
  codec: {
    captureIdPrefix: (p) => `${p.domain}-${p.key1}-${p.key2}-${p.periodEnd}`,
    objectKeyPrefix: (p) => `${p.domain}/${p.key1}/${p.key2}/${p.periodEnd}/`,
    rawExtension: 'txt',
    lockName: (p, scope) => (scope === 'series' ? `${p.domain}:${p.key1}:${p.key2}` : `${p.domain}:${p.key1}:${p.key2}:${p.periodEnd}`),
    jobIdPart: (p) => `wt-${p.key1}-${p.key2}-${p.periodEnd}`,
    seriesIdPart: (s) => `${s.key1}-${s.key2}`,
  },
};
