import { Option, type Command } from 'commander';
import type { DatasetDefinition } from '@spine/platform/dataset/dataset-definition';
import type { DatasetRegistry } from '@spine/platform/dataset/dataset-registry';
import type { Endpoint } from '@spine/platform/research/research-endpoint';
import { queryParamOf, type QueryCommand } from '@spine/platform/research/query-command';
import { printJson, withRuntime } from '../runtime.ts';

interface OutputOptions {
  json?: boolean;
  csv?: boolean;
}

/**
 * One research question asked of the read models the API serves (same schemas, same answers), every page of it,
 * printed as a table of `columns`, JSON (rows, provenance and any summary) or CSV (rows). `raw` holds the query
 * parameters as the command's options gave them.
 */
async function ask(datasets: DatasetRegistry, operationId: string, path: Record<string, unknown>, raw: Record<string, string | undefined>, options: OutputOptions, columns: readonly string[]): Promise<void> {
  const { researchEndpoints } = await import('@spine/research/api-endpoints');
  const endpoint = (await researchEndpoints(datasets.list())).find((e) => e.operationId === operationId);
  if (!endpoint) throw new Error(`no research endpoint ${operationId}`);
  await answer(endpoint, path, { ...raw, page_size: '1000' }, options, columns, (name) => `--${name.replaceAll('_', '-')}`);
}

/**
 * Any endpoint of /api/v1, every registered dataset's included, by its path as the API takes it (`/api/v1` may lead;
 * parameters after `?` and as NAME=VALUE arguments): the same schemas, every page, every column of its rows.
 */
async function get(datasets: DatasetRegistry, target: string, params: string[], options: OutputOptions): Promise<void> {
  const { researchEndpoints } = await import('@spine/research/api-endpoints');
  const { InputError } = await import('@spine/platform/errors');
  const url = new URL(target.replace(/^\/?(api\/v1)?\/?/, '/'), 'http://query');
  const endpoints = await researchEndpoints(datasets.list());
  for (const endpoint of endpoints) {
    let path: Record<string, string> | undefined;
    try {
      path = pathParams(endpoint.path, url.pathname);
    } catch (error) {
      if (!(error instanceof URIError)) throw error;
      throw new InputError(`${url.pathname}: a path segment is not valid percent-encoding`);
    }
    if (!path) continue;
    const raw: Record<string, string | undefined> = { page_size: '1000', ...Object.fromEntries(url.searchParams) };
    for (const param of params) {
      const at = param.indexOf('=');
      if (at < 1) throw new InputError(`"${param}" is not NAME=VALUE`);
      raw[param.slice(0, at)] = param.slice(at + 1);
    }
    return answer(endpoint, path, raw, options, undefined, (name) => name);
  }
  throw new InputError(`no endpoint at ${url.pathname}: the paths are ${endpoints.map((e) => e.path).join(', ')}`);
}

/** The path parameters of `path` when it is one of `template` (`/symbols/{symbol}/history`), segment by segment. */
function pathParams(template: string, path: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (name === undefined ? segment !== got[i] : !got[i]) return undefined;
    if (name !== undefined) params[name] = decodeURIComponent(got[i]!);
  }
  return params;
}

/** Asks an endpoint for every page and prints it: `shown` columns of the rows in a table (all without), JSON or CSV. */
async function answer(endpoint: Endpoint, path: Record<string, unknown>, raw: Record<string, string | undefined>, options: OutputOptions,
  shown: readonly string[] | undefined, optionName: (name: string) => string): Promise<void> {
  // The modules, not the package's index, which loads the exports' S3 and Parquet writers.
  const [{ describeIssues }, { allPages }, { toCsv }] = await Promise.all([import('@spine/platform/research/describe-issues'),
    import('@spine/platform/research/all-pages'), import('@spine/platform/research/csv')]);
  const { InputError } = await import('@spine/platform/errors');
  if (options.json && options.csv) throw new InputError('give --json or --csv, not both');
  const parsedPath: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(endpoint.pathParams)) {
    const parsed = schema.safeParse(path[name]);
    if (!parsed.success) throw new InputError(`${name}: ${describeIssues(parsed.error)}`);
    parsedPath[name] = parsed.data;
  }
  // Options a question does not take are dropped by its schema (zod objects strip unknown keys).
  const query = endpoint.query.safeParse(Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined)));
  if (!query.success) throw new InputError(describeIssues(query.error).replaceAll(/(^|; )(\w+):/g, (_m, sep: string, name: string) => `${sep}${optionName(name)}:`));
  await withRuntime(async ({ pool }) => {
    const result = await allPages(pool, endpoint, parsedPath, query.data as Record<string, unknown>);
    const rows = result.data as Record<string, unknown>[];
    if (options.json) return printJson(result);
    if (options.csv) return void process.stdout.write(toCsv(rows, rowColumns(endpoint.answer)));
    const { renderTable } = await import('../table.ts');
    if ('summary' in result) process.stdout.write(`${Object.entries(result.summary as object).map(([k, v]) => `${k}: ${v}`).join('  ')}\n`);
    if (rows.length === 0) return void process.stdout.write('no rows\n');
    const columns = shown ?? rowColumns(endpoint.answer);
    const cell = (value: unknown) => (Array.isArray(value) ? value.join(',') : value as string | number | null);
    process.stdout.write(`${renderTable([...columns], rows.map((row) => columns.map((c) => cell(row[c]))))}\n`);
    const { captures, as_of: asOf } = result.provenance;
    process.stdout.write(`${rows.length} rows from ${captures.length} captures${asOf.published ? `, as published by ${asOf.published}` : ''}` +
      `${asOf.captured ? `, as captured by ${asOf.captured}` : ''}\n`);
  });
}

/** The columns of an answer's rows, in the order of its schema. */
function rowColumns(answer: unknown): string[] {
  const data = (answer as { shape: { data: { element: { shape: object } } } }).shape.data;
  return Object.keys(data.element.shape);
}

/** The point-in-time options' flags and descriptions. */
const AS_OF_OPTIONS: Record<NonNullable<QueryCommand['asOf']>[number], (dataset: DatasetDefinition) => readonly [string, string]> = {
  published: (dataset) => ['--as-of-published <date>', `answer with the captures ${dataset.publisher} had published by this date (YYYY-MM-DD)`],
  captured: () => ['--as-of-captured <instant>', 'answer with the captures this system had captured by this instant (ISO 8601, e.g. 2025-12-01T12:00:00Z)'],
};

/** A dataset's question as a command: its arguments fill the question's path, its options the query. */
function addQueryCommand(parent: Command, datasets: DatasetRegistry, dataset: DatasetDefinition, question: QueryCommand): void {
  const command = parent.command(question.name).description(question.description);
  for (const argument of question.arguments) command.argument(`<${argument.name}>`, argument.description);
  const queryOptions = [
    ...(question.options ?? []).map((spec) => {
      const option = new Option(spec.flags, spec.description).makeOptionMandatory(spec.required === true);
      return spec.default === undefined ? option : option.default(spec.default);
    }),
    ...(question.asOf ?? []).map((kind) => new Option(...AS_OF_OPTIONS[kind](dataset))),
  ];
  for (const option of queryOptions) command.addOption(option);
  const variant = question.variant && new Option(question.variant.flag, question.variant.description);
  if (variant) command.addOption(variant);
  command.option('--json', 'print rows, provenance and any summary as JSON').option('--csv', 'print the rows as CSV');
  command.action((...args: unknown[]) => {
    const opts = args[question.arguments.length] as Record<string, string | boolean | undefined>;
    const path = Object.fromEntries(question.arguments.map((argument, i) => [argument.pathParam ?? argument.name, args[i]]));
    const raw = Object.fromEntries(queryOptions.map((option) => [queryParamOf(option.flags), opts[option.attributeName()] as string | undefined]));
    const asked = variant && opts[variant.attributeName()] ? question.variant! : question;
    return ask(datasets, asked.operationId, path, raw, { json: opts.json === true, csv: opts.csv === true }, asked.columns);
  });
}

export function registerQuery(program: Command, datasets: DatasetRegistry): void {
  const query = program.command('query').description('research questions, answered as /api/v1 answers them (point in time with --as-of-*)');
  for (const dataset of datasets.list()) {
    const questions = dataset.queryCommands ?? [];
    if (questions.length === 0) continue;
    // The first dataset's questions hold the API's root paths, and theirs the command's top level.
    const parent = dataset === datasets.first ? query : query.command(dataset.name).description(`${dataset.title}: its research questions`);
    for (const question of questions) addQueryCommand(parent, datasets, dataset, question);
  }
  query.command('get').argument('<path>', 'an /api/v1 path, parameters after ? allowed: /datasets/regsho/symbols/AAPL/daily?from=2025-01-02')
    .argument('[params...]', 'more parameters as NAME=VALUE (as_of_published=2025-01-10)')
    .description('any /api/v1 question, every dataset\'s included (see /api/v1/openapi.json), with all its columns')
    .option('--json', 'print rows, provenance and any summary as JSON').option('--csv', 'print the rows as CSV')
    .action((path: string, params: string[], opts: OutputOptions) => get(datasets, path, params, opts));
}
