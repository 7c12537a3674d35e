import type { Command } from 'commander';
import type { Pool } from '@spine/platform';
import type { DatasetCalculations } from '@spine/platform/calcs/dataset-calculations';
import { partitionKeys, type DatasetDefinition, type SeriesKey } from '@spine/platform/dataset/dataset-definition';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { addKeyOptions, keyOptionValues } from '../partition-options.ts';
import { partitionCells, partitionColumns } from '../partition-columns.ts';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

interface TextSchema<T> {
  safeParse(value: string): { success: true; data: T } | { success: false; error: { issues: readonly { message: string }[] } };
}

/** Parses one option with its schema; a problem is one InputError naming the option (exit 2, nothing written). */
async function parseOption<T>(schema: TextSchema<T>, value: string, option: string): Promise<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { InputError } = await import('@spine/platform/errors');
  throw new InputError(`${option}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
}

/** Periods of the dataset as typed (a list or a range); a weekly dataset's are checked without a query. */
async function parsePeriods(pool: Pool, dataset: DatasetDefinition, value: string, option: string): Promise<string[]> {
  const [{ periodsText }, { loadPeriodCalendar }] = await Promise.all([
    import('@spine/platform/calcs/calc-command-request'), import('@spine/platform/time/period-calendar'),
  ]);
  return parseOption(periodsText(await loadPeriodCalendar(pool, dataset.period)), value, option);
}

async function parseName(name: string): Promise<string> {
  const { calcNameText } = await import('@spine/platform/calcs/calc-command-request');
  return parseOption(calcNameText, name, 'NAME');
}

/** The dataset asked for (default: the first registered) and its calculations; one without specs is bad input. */
async function calculationsOf(name: string | undefined): Promise<{ dataset: DatasetDefinition; calculations: DatasetCalculations }> {
  const [{ datasets }, { InputError }] = await Promise.all([import('@spine/datasets'), import('@spine/platform/errors')]);
  const dataset = datasetNamed(datasets, name);
  const calculations = await dataset.loadCalculations?.();
  if (!calculations) throw new InputError(`dataset ${dataset.name} declares no calculation specs`);
  return { dataset, calculations };
}

/** The dataset's key options given (any of the publisher's spellings), as the series keys they name; a key left out is every value. */
async function parseSeriesFilter(datasets: DatasetRegistry, dataset: DatasetDefinition, opts: Record<string, unknown>): Promise<Partial<SeriesKey>> {
  const [{ unknownKeyValue }, { InputError }] = await Promise.all([import('@spine/platform/dataset/dataset-registry'), import('@spine/platform/errors')]);
  const keys = partitionKeys(dataset);
  const [key1, key2] = keyOptionValues(datasets, dataset, opts).map((text, i) => {
    if (text === undefined) return undefined;
    const key = keys[i]!;
    const value = key.parse(text);
    if (!value) throw new InputError(`--${key.field.replaceAll('_', '-')}: ${unknownKeyValue(key, text, false)}`);
    return value;
  });
  return { key1, key2 };
}

/** Checks the dataset's specs against the database's graph and copies them in, as worker start-up does. */
async function syncSpecs(pool: Pool, dataset: DatasetDefinition, calculations: DatasetCalculations) {
  const { syncDatasetCalculations } = await import('@spine/platform/calcs/dataset-calculations');
  return syncDatasetCalculations(pool, dataset.name, calculations);
}

const list = (values: readonly string[]) => (values.length === 0 ? '-' : values.join(', '));
const figure = (value: number | null) => (value === null ? '' : String(Number(value.toPrecision(10))));

export function registerCalcs(program: Command, datasets: DatasetRegistry): void {
  const calcs = program.command('calcs').description('calculations: their specs, versions side by side, row-count checks (docs/calculations.md)');

  const DATASET = ['--dataset <name>', 'the dataset (spine datasets lists them; default: the first)'] as const;

  calcs.command('sync').option(...DATASET).option('--json', 'print as JSON')
    .description("check the code's calculation specs against the database's graph and copy them into core_calc_versions (worker start-up does it too)")
    .action(async (opts: { dataset?: string; json?: boolean }) => {
      const { dataset, calculations } = await calculationsOf(opts.dataset);
      await withRuntime(async ({ pool }) => {
        const result = await syncSpecs(pool, dataset, calculations);
        if (opts.json) return printJson(result);
        process.stdout.write(`${result.versions} calculation versions in the code: ${result.changed} written (new or changed), ${result.removed} removed\n`);
      });
    });

  calcs.command('list').option(...DATASET).option('--json', 'print as JSON')
    .description('every calculation: stage, current version, other versions, inputs, output, dependants, captures run on, row checks')
    .action(async (opts: { dataset?: string; json?: boolean }) => {
      const { dataset, calculations } = await calculationsOf(opts.dataset);
      await withRuntime(async ({ pool }) => {
        await syncSpecs(pool, dataset, calculations);
        const [{ loadCalcCatalog }, { renderTable }] = await Promise.all([import('@spine/platform/calcs/calc-catalog'), import('../table.ts')]);
        const catalog = await loadCalcCatalog(pool, dataset.name);
        if (opts.json) return printJson(catalog);
        process.stdout.write(`${renderTable(['calculation', 'stage', 'current', 'versions', 'inputs', 'output', 'dependants', 'captures', 'row checks failed'],
          catalog.map((c) => {
            const current = c.versions.find((v) => v.is_current);
            return [c.calc_name, c.stage, current?.version ?? `v${c.current_version}`, c.versions.map((v) => v.version).join(' '),
              list(current?.input_tables ?? []), current?.output_table, list(c.dependants), current?.captures ?? 0,
              c.versions.reduce((n, v) => n + v.row_checks_failed, 0)];
          }))}\n`);
      });
    });

  calcs.command('show').argument('<name>', 'the calculation, e.g. otc_symbol_concentration')
    .option('--limit <n>', 'captures to list', '20').option(...DATASET).option('--json', 'print as JSON')
    .description("one calculation's versions (spec, captures run on, row checks) and the captures it ran on, newest first")
    .action(async (rawName: string, opts: { limit: string; dataset?: string; json?: boolean }) => {
      const name = await parseName(rawName);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        const { InputError } = await import('@spine/platform/errors');
        throw new InputError(`--limit must be a whole number from 1 to 10000, got "${opts.limit}"`);
      }
      const { dataset, calculations } = await calculationsOf(opts.dataset);
      await withRuntime(async ({ pool }) => {
        await syncSpecs(pool, dataset, calculations);
        const [{ loadCalcCatalog, loadCalcCaptureRuns }, { renderTable }, { InputError }] = await Promise.all([
          import('@spine/platform/calcs/calc-catalog'), import('../table.ts'), import('@spine/platform/errors'),
        ]);
        const entry = (await loadCalcCatalog(pool, dataset.name)).find((c) => c.calc_name === name);
        if (!entry) throw new InputError(`no calculation ${name} (spine calcs list shows them)`);
        const runs = await loadCalcCaptureRuns(pool, dataset.name, name, limit);
        if (opts.json) return printJson({ ...entry, runs });
        const out: string[] = [`${entry.calc_name}  stage ${entry.stage}, current v${entry.current_version}`,
          `depends on: ${list(entry.depends_on)}`, `dependants: ${list(entry.dependants)}`];
        for (const v of entry.versions) {
          out.push('', `${v.version}${v.is_current ? ' (current)' : ''}${v.is_breaking ? `, breaking, replaces ${v.replaces}` : ''}`,
            `  ${v.description}`, ...v.assumptions.map((a) => `  - ${a}`),
            `  inputs: ${list(v.input_tables)}; output: ${v.output_table}${v.version_table === v.output_table ? '' : ` (this version: ${v.version_table})`}`,
            `  columns: ${list(v.output_columns)}; key: ${list(v.row_key)}; weeks required: ${v.weeks_required}`,
            `  expected rows: ${v.expected_rows ?? 'no fixed grain'}; row checks: ${v.row_checks_passed} passed, ${v.row_checks_failed} failed`,
            `  ran on ${v.captures} capture(s)${v.first_week ? `, weeks ${v.first_week} to ${v.last_week}` : ''}`);
        }
        out.push('', renderTable([...partitionColumns(dataset), 'version', 'served', 'execution_id', 'captured_at', 'row check'],
          runs.map((r) => [...partitionCells(dataset, r), `v${r.calc_version}`, r.is_current ? 'yes' : 'side by side', r.execution_id, r.captured_at,
            r.row_check ? `${r.row_check.status} ${r.row_check.actual}/${r.row_check.expected}` : ''])));
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });

  const runCommand = calcs.command('run').argument('<name>', 'the calculation')
    .requiredOption('--version <major>', 'the major version to run beside the current one, e.g. 2')
    .requiredOption('--weeks <fridays>', 'week_endings: 2025-11-07,2025-11-14 or 2025-11-07..2025-12-12');
  addKeyOptions(runCommand, datasets, (label) => `only this ${label}`).option(...DATASET).option('--json', 'print as JSON')
    .description('compute a version that is not current over the captures already loaded (no fetch, no ingest), side by side')
    .action(async (rawName: string, opts: { version: string; weeks: string; dataset?: string; json?: boolean } & Record<string, unknown>) => {
      const { majorVersionText } = await import('@spine/platform/calcs/calc-command-request');
      const name = await parseName(rawName);
      const major = await parseOption(majorVersionText, opts.version, '--version');
      const { dataset, calculations } = await calculationsOf(opts.dataset);
      const filter = await parseSeriesFilter(datasets, dataset, opts);
      await withRuntime(async ({ pool }) => {
        const weeks = await parsePeriods(pool, dataset, opts.weeks, '--weeks');
        await syncSpecs(pool, dataset, calculations);
        const { renderTable } = await import('../table.ts');
        const run = await calculations.runVersion(pool, { calcName: name, major, weeks, ...filter, requestedBy: 'cli' });
        if (opts.json) return printJson(run);
        process.stdout.write(`${renderTable([...partitionColumns(dataset), 'rows', 'row check'], run.captures.map((c) => [...partitionCells(dataset, c), c.rows,
          c.row_check ? `${c.row_check.status} ${c.row_check.actual}/${c.row_check.expected} (${c.row_check.expected_rows})` : '']))}\n`);
        process.stderr.write(`${name} v${major} ran on ${run.captures.length} capture(s) beside the current version; batch ${run.batch_id}\n`);
      });
    });

  calcs.command('promote').argument('<name>', 'the calculation').argument('<major>', 'the major version to make current, e.g. 2 (or 1 to go back)')
    .option(...DATASET).option('--json', 'print as JSON')
    .description('make a version current: the contract view serves it and the pipeline runs it; the old one stays side by side')
    .action(async (rawName: string, rawMajor: string, opts: { dataset?: string; json?: boolean }) => {
      const { majorVersionText } = await import('@spine/platform/calcs/calc-command-request');
      const name = await parseName(rawName);
      const major = await parseOption(majorVersionText, rawMajor, 'MAJOR');
      const { dataset, calculations } = await calculationsOf(opts.dataset);
      await withRuntime(async ({ pool }) => {
        await syncSpecs(pool, dataset, calculations);
        const { promoteCalcVersion } = await import('@spine/platform/calcs/calc-versions');
        const promotion = await promoteCalcVersion(pool, dataset.name, name, major);
        if (opts.json) return printJson(promotion);
        process.stdout.write(`${name}: v${promotion.to_version} is current (was v${promotion.from_version}); ${promotion.captures} capture(s) now served by it\n`);
      });
    });

  calcs.command('compare').argument('<name>', 'the calculation')
    .requiredOption('--versions <a,b>', 'the two major versions, e.g. 1,2')
    .option('--week <fridays>', 'only these week_endings (a list or a range); default every week both ran on')
    .option('--top <n>', 'rows that differ most, per column', '5').option(...DATASET).option('--json', 'print as JSON')
    .description('per output column: rows changed, max and mean absolute difference, the symbols that differ most')
    .action(async (rawName: string, opts: { versions: string; week?: string; top: string; dataset?: string; json?: boolean }) => {
      const [{ versionPairText }, { InputError }] = await Promise.all([
        import('@spine/platform/calcs/calc-command-request'), import('@spine/platform/errors'),
      ]);
      const name = await parseName(rawName);
      const [a, b] = await parseOption(versionPairText, opts.versions, '--versions');
      const top = Number(opts.top);
      if (!Number.isInteger(top) || top < 0 || top > 1000) throw new InputError(`--top must be a whole number from 0 to 1000, got "${opts.top}"`);
      const { dataset, calculations } = await calculationsOf(opts.dataset);
      const { registeredVersion } = await import('@spine/platform/calcs/calc-registry');
      const [specA, specB] = [a, b].map((major) => registeredVersion(calculations.registry, name, major)?.spec);
      if (!specA || !specB) throw new InputError(`${name} has no version ${specA ? b : a} (spine calcs show ${name} lists its versions)`);
      await withRuntime(async ({ pool }) => {
        const weeks = opts.week === undefined ? null : await parsePeriods(pool, dataset, opts.week, '--week');
        const [{ compareCalcVersions }, { renderTable }] = await Promise.all([import('@spine/platform/calcs/version-compare'), import('../table.ts')]);
        const comparison = await compareCalcVersions(pool, specA, specB, { weeks, top });
        if (opts.json) return printJson(comparison);
        const out = [`${name} v${a} vs v${b}: ${comparison.rows} rows in ${comparison.captures} capture(s) both ran on, ${weeks ? `weeks ${weeks.join(', ')}` : 'every week'}`,
          renderTable(['column', 'changed', 'max |diff|', 'mean |diff|'],
            comparison.columns.map((c) => [c.column, c.changed, figure(c.max_abs_diff), figure(c.mean_abs_diff)]))];
        for (const column of comparison.columns.filter((c) => c.top.length > 0)) {
          out.push(`${column.column}: the rows that differ most`, renderTable([...partitionColumns(dataset), ...Object.keys(column.top[0]!.key), `v${a}`, `v${b}`, '|diff|'],
            column.top.map((d) => [...partitionCells(dataset, d), ...Object.values(d.key).map(String), d.a === null ? 'NULL' : String(d.a),
              d.b === null ? 'NULL' : String(d.b), figure(d.abs_diff)])));
        }
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
}
