import { fileURLToPath } from 'node:url';
import {
  copyRows, InputError, lineBatches, MONTH_PERIODS, NO_SECOND_KEY, SourceNotFoundError, stageOrder, stampCalcLineage, type DatasetDefinition,
  type PartitionCodec, type PartitionRequest, type PartitionSource, type RawSource, type SourceAccess, type StageDefinition,
} from '@spine/platform';
import { localFileSource } from '@spine/platform/sources/local-file';

/**
 * A third dataset, which exists only in tests: a symbol's monthly volume per region, one partition per calendar month
 * (named by its last day) x region. It is written against the platform's contract alone, as a new dataset's package
 * would be, and registered beside this release's datasets by the tests that use it, to show that a dataset plugs in
 * with no change to the platform, orchestration, scheduling, operations or the apps. Files: `<REGION>/<month_end>.psv`,
 * a header line then `symbol|volume` lines.
 */
export const MONTHLY_FIXTURE = 'monthly_fixture';
export const MONTHLY_HEADER = 'symbol|volume';
const CALC = 'monthly_fixture_volume';
const REGIONS = ['EAST', 'WEST'] as const;

const codec: PartitionCodec = {
  captureIdPrefix: (p) => `${p.domain}-${p.key1}-${p.periodEnd}`,
  objectKeyPrefix: (p) => `${p.domain}/${p.key1}/${p.periodEnd}/`,
  rawExtension: 'psv',
  lockName: (p, scope) => (scope === 'series' ? `${p.domain}:${p.key1}` : `${p.domain}:${p.key1}:${p.periodEnd}`),
  jobIdPart: (p) => `${MONTHLY_FIXTURE}-${p.key1}-${p.periodEnd}`,
  seriesIdPart: (s) => s.key1,
};

/** The file of one month of one region, as the directory or bucket holds it. */
export const monthlyFileName = (region: string, monthEnd: string) => `${region}/${monthEnd}.psv`;

function openMonthlySource(access: SourceAccess): PartitionSource {
  const notHere = (p: PartitionRequest, where: string) => new SourceNotFoundError(`No ${p.key1} volume for the month ending ${p.periodEnd} at ${where}`, p, where);
  if (access.kind === 'api') {
    return {
      kind: 'api', describe: () => 'no publisher API',
      open: (p) => Promise.reject(notHere(p, 'the fixture publisher, which has no API: use a dir: or s3: source')),
    };
  }
  return {
    kind: access.kind, describe: () => access.files.describe(),
    open: (p, signal) => access.files.open(monthlyFileName(p.key1, p.periodEnd), (where) => notHere(p, where), signal),
  };
}

/** Ingest: the month's `symbol|volume` lines into monthly_fixture_lines, published by its lineage row. */
function ingestStage(name: string, version: number, source: RawSource | undefined): StageDefinition {
  return {
    name,
    lockNames: (key) => [codec.lockName(key, 'partition')],
    async run(client, stage) {
      if (!source) throw new Error(`ingest of ${stage.key.captureId} needs the month's file as its source`);
      const { rows: [capture] } = await client.query<{ capture_key: number }>('SELECT capture_key FROM core_captures WHERE capture_id = $1', [stage.key.captureId]);
      await client.query('DELETE FROM monthly_fixture_lines WHERE capture_key = $1', [capture!.capture_key]);
      async function* rows(): AsyncGenerator<string> {
        let first = true;
        for await (const batch of lineBatches(await source!.open(), 200)) {
          let chunk = '';
          for (const line of batch) {
            if (typeof line !== 'string' || first || line === '') {
              first = false;
              continue;
            }
            const [symbol, volume] = line.split('|');
            if (!/^[A-Z]{1,5}$/.test(symbol ?? '') || !/^\d+$/.test(volume ?? '')) throw new Error(`not a symbol|volume line: "${line}"`);
            chunk += `${capture!.capture_key}\t${symbol}\t${volume}\n`;
          }
          if (chunk) yield chunk;
        }
      }
      const stored = await copyRows(client, 'COPY monthly_fixture_lines (capture_key, symbol, volume) FROM STDIN', rows());
      await stampCalcLineage(client, [stage.key.captureId], { calcName: CALC, calcVersion: version, executionId: stage.executionId, batchId: stage.batchId, capturedAt: stage.capturedAt });
      return { status: 'completed', rowCount: stored, metrics: { [CALC]: { rows: stored } } };
    },
  };
}

export const monthlyDataset: DatasetDefinition = {
  name: MONTHLY_FIXTURE,
  pipeline: 'monthly_fixture',
  title: 'Monthly fixture volume',
  publisher: 'the fixture exchange',
  shortTitle: 'Monthly',
  period: { kind: 'month', field: 'month_end', label: 'Month ending' },
  keys: [{ field: 'region', label: 'Region', values: REGIONS, parse: (text) => REGIONS.find((r) => r === text.trim().toUpperCase()) }],
  firstPeriod: () => '2024-01-31',
  stages: [{ name: 'fetch', queue: 'fetch', spansNeighbours: false }, { name: 'ingest', queue: 'stage', spansNeighbours: false }],
  migrationsDir: fileURLToPath(new URL('./migrations', import.meta.url)),
  async buildStages(graph, options) {
    const version = graph.find((n) => n.calcName === CALC)?.calcVersion;
    if (version === undefined) throw new Error(`${CALC} is not in the graph`);
    return stageOrder(graph).map((name) => ingestStage(name, version, options.source));
  },
  codec,
  openSource: openMonthlySource,
  async prepareFile(request) {
    const region = REGIONS.find((r) => r === request.key1.trim().toUpperCase());
    if (!region) throw new InputError(`unknown region "${request.key1}": use one of ${REGIONS.join(', ')}`);
    const problem = MONTH_PERIODS.problem(request.periodEnd);
    if (problem) throw new InputError(problem);
    const source = await localFileSource(request.file);
    if (source.firstLine !== MONTHLY_HEADER) throw new InputError(`${request.file} is not a monthly fixture file: its first line is not ${MONTHLY_HEADER}`);
    return { key1: region, key2: NO_SECOND_KEY, source };
  },
  // Its one policy keeps everything (migration 9000): nothing to retire.
  applyRetention: async (_pool, options) => ({ dry_run: options.dryRun, as_of: options.asOf ?? new Date().toISOString().slice(0, 10),
    tables: [{ table: CALC, keep: null, captures: 0, rows: 0 }], freed: {} }),
};
