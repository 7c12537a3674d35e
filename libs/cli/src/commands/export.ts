import type { Command } from 'commander';
import type { Env } from '@spine/platform';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import { addKeyOptions, keyOptionFields } from '../partition-options.ts';
import { datasetNamed, printJson, withRuntime } from '../runtime.ts';

interface ExportOptions {
  dataset: string;
  tables: string;
  from: string;
  to: string;
  asOfPublished?: string;
  asOfCaptured?: string;
  format: string;
  out: string;
  json?: boolean;
}

/** Options named as the user typed them in a problem from the request schema (as_of_published -> --as-of-published). */
const asOptions = (problem: string) => problem.replaceAll(/(^|; )(\w+):/g, (_m, sep: string, name: string) => `${sep}--${name.replaceAll('_', '-')}:`);

async function runExport(datasets: DatasetRegistry, options: ExportOptions): Promise<void> {
  const [{ describeIssues }, { InputError }] = await Promise.all([import('@spine/platform/research/describe-issues'), import('@spine/platform/errors')]);
  // The dataset's research module says what it exports and how its options read.
  const dataset = datasetNamed(datasets, options.dataset);
  const exporter = (await dataset.research?.())?.export;
  if (!exporter) throw new InputError(`--dataset: ${options.dataset} has nothing to export`);
  // Its keys' options (--tier, --venue-type; --market-code), each under the key's field; another dataset's is refused.
  const keys = keyOptionFields(datasets, dataset, options as unknown as Record<string, unknown>);
  const raw = {
    tables: options.tables, from: options.from, to: options.to, ...keys,
    as_of_published: options.asOfPublished, as_of_captured: options.asOfCaptured, format: options.format, out: options.out,
  };
  const request = exporter.request.safeParse(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)));
  if (!request.success) throw new InputError(asOptions(describeIssues(request.error)));
  const { directoryTarget } = await import('@spine/platform/research/export-targets');
  const progress = process.stderr.isTTY;
  await withRuntime(async ({ env, pool }) => {
    const out = request.data.out;
    // The AWS SDK is loaded only for an s3:// target: a local export does not pay for it.
    const target = out.startsWith('s3://') ? await s3TargetFor(env, out) : directoryTarget(out);
    const written = await exporter.run(pool, request.data, target, (p) => {
      if (progress) process.stderr.write(`\r${p.files}/${p.totalFiles} files, ${p.rows.toLocaleString('en-US')} rows`);
    });
    if (progress) process.stderr.write('\n');
    if (options.json) return printJson({ out: request.data.out, rows: written.rows, files: written.files, captures: written.captures });
    process.stdout.write(`${written.rows} rows in ${written.files} files from ${written.captures} captures written to ${request.data.out} (manifest.json, README.md)\n`);
  });
}

async function s3TargetFor(env: Env, out: string) {
  const [{ s3Target }, { createS3Client, s3SettingsFromEnv }] = await Promise.all([import('@spine/research/s3-export-target'), import('@spine/platform/storage/s3-client')]);
  return s3Target(createS3Client(s3SettingsFromEnv(env)), out);
}

export function registerExport(program: Command, datasets: DatasetRegistry): void {
  const command = program.command('export').description('write tables to Parquet or CSV files, Hive-partitioned, with a manifest (point in time with --as-of-*)')
    .requiredOption('--dataset <name>', `the dataset: ${datasets.names().join(', ')}`)
    .requiredOption('--tables <names>', 'comma-separated tables of the dataset: otc venue_volume (FINRA\'s lines), symbol_summary, venue_share; ' +
      'regsho daily_volume (FINRA\'s lines), symbol_daily, symbol_week')
    .requiredOption('--from <date>', 'first period: a week_ending (otc), a trade date (regsho)').requiredOption('--to <date>', 'last period, inclusive');
  addKeyOptions(command, datasets, (label) => `only this ${label}, or several comma-separated where the export takes them (default all)`)
    .option('--as-of-published <date>', 'the captures FINRA had published by this date (YYYY-MM-DD)')
    .option('--as-of-captured <instant>', 'the captures this system had captured by this instant (ISO 8601)')
    .requiredOption('--format <format>', 'parquet or csv').requiredOption('--out <dir>', 'a new or empty directory, or s3://bucket/prefix (an empty prefix; S3_* settings)')
    .option('--json', 'print the summary as JSON')
    .action((opts: ExportOptions) => runExport(datasets, opts));
}
