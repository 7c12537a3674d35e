import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The dataset-free layers: they take datasets from the registry and name none. */
const LAYERS = ['libs/platform/src', 'libs/orchestration/src', 'libs/scheduling/src', 'libs/operations/src', 'libs/research/src'];

/**
 * Files still allowed to say a dataset's name, each with why. A ratchet: the test fails when another file says one,
 * and when a listed file no longer does (then it leaves the list).
 */
const WIRE = 'job data, JSON answers or stored rows under the first release\'s field names (`tier` for the first key, WirePartition in wire-partition.ts), which queued jobs, scripts and pages read';
const PUBLISHER = "FINRA's Query API as a source kind (`--source finra`, `@spine/finra-source`) and its credentials, the only publisher API so far";
const STILL_NAMING: Record<string, Record<string, string>> = {
  otc: {
    'libs/orchestration/src/queue-names.ts': "the queues' names before every dataset shared them (LEGACY_QUEUES), served until no deployment runs a release that used them",
  },
  ATS: {},
  tier: Object.fromEntries([
    'libs/platform/src/dataset/wire-partition.ts',
    'libs/operations/src/activity.ts', 'libs/operations/src/batch-report.ts', 'libs/operations/src/coverage.ts',
    'libs/operations/src/lag-view.ts', 'libs/operations/src/lineage-groups.ts', 'libs/operations/src/partition-detail.ts',
    'libs/orchestration/src/backfill-request.ts', 'libs/orchestration/src/batch-enqueue.ts', 'libs/orchestration/src/batch-progress.ts',
    'libs/orchestration/src/failed-job-retry.ts', 'libs/orchestration/src/final-failure.ts', 'libs/orchestration/src/flow-tree.ts',
    'libs/orchestration/src/gated-weeks.ts', 'libs/orchestration/src/job-data.ts', 'libs/orchestration/src/job-ids.ts',
    'libs/orchestration/src/partition-names.ts',
    'libs/orchestration/src/publication-check.ts', 'libs/orchestration/src/reconcile-plan.ts', 'libs/orchestration/src/reconcile.ts',
    'libs/scheduling/src/alert-sinks.ts', 'libs/scheduling/src/alert-store.ts', 'libs/scheduling/src/data-health.ts',
    'libs/scheduling/src/lag-alerts.ts', 'libs/scheduling/src/lag-report.ts', 'libs/scheduling/src/quality-alerts.ts',
    'libs/scheduling/src/schedule.ts', 'libs/scheduling/src/scheduler-tick.ts', 'libs/scheduling/src/schedules-repo.ts',
    'libs/scheduling/src/week-figures.ts', 'libs/scheduling/src/week-state.ts',
  ].map((file) => [file, WIRE])),
  finra: {
    'libs/orchestration/src/backfill-request.ts': PUBLISHER,
    'libs/orchestration/src/publication-check.ts': PUBLISHER,
    'libs/orchestration/src/source-allow-list.ts': PUBLISHER,
    'libs/orchestration/src/source-errors.ts': PUBLISHER,
    'libs/orchestration/src/worker-preflight.ts': PUBLISHER,
    'libs/platform/src/configuration-errors.ts': PUBLISHER,
    'libs/platform/src/captures.ts': "core_captures' columns of FINRA's publication dates (finra_initial_published_date, finra_last_reported_date), read by point-in-time queries",
    'libs/scheduling/src/scheduler-tick.ts': "readiness detail's `finra_published`, a stored field pages read",
  },
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Code only: comments may cite a dataset as an example. */
function code(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('the platform, orchestration, scheduling, operations and research name no dataset', () => {
  const files = LAYERS.flatMap(sources);

  it.each([
    ['otc', /\botc\b/i],
    ['ATS', /\b(NON_)?ATS\b/],
    ['tier', /\btier\b/],
    ['finra', /finra/i],
  ])('%s appears in no code but the listed files, and in each of those', (name, pattern) => {
    const naming = files.filter((f) => pattern.test(code(f)));
    expect(naming.sort()).toEqual(Object.keys(STILL_NAMING[name]!).sort());
  });

  it('imports no dataset package (datasets come from the registry)', () => {
    const importing = files.filter((f) => /from '@spine\/(otc|datasets)[/']|import\('@spine\/(otc|datasets)[/']/.test(readFileSync(join(ROOT, f), 'utf8')));
    expect(importing).toEqual([]);
  });
});
