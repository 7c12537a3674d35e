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
const WIRE = "the first release's field names of a partition (`tier` for the first key), which job data, JSON answers and stored JSON keep: defined here only, every other module converts with toWire, fromWire and the like";
const PUBLISHER = "FINRA's Query API as a source kind (`--source finra`, `@spine/finra-source`) and its credentials, the only publisher API so far";
const STILL_NAMING: Record<string, Record<string, string>> = {
  otc: {
    'libs/orchestration/src/queue-names.ts': "the queues' names before every dataset shared them (LEGACY_QUEUES), served until no deployment runs a release that used them",
  },
  ATS: {},
  tier: {
    'libs/platform/src/dataset/wire-partition.ts': WIRE,
    'libs/orchestration/src/flow-tree.ts': "a backfill's window job is named `tier-windows` (BATCH_JOBS): queued flows carry the name, so it is never renamed",
  },
  finra: {
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
