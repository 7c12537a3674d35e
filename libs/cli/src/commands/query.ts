import type { Command } from 'commander';
import type { Endpoint } from '@spine/platform/research/research-endpoint';
import { printJson, withRuntime } from '../runtime.ts';

interface QueryOptions {
  tier?: string;
  venueType?: string;
  from?: string;
  to?: string;
  asOfPublished?: string;
  asOfCaptured?: string;
  hhiVersion?: string;
  venues?: boolean;
  json?: boolean;
  csv?: boolean;
}

/** The columns a terminal table shows (the JSON and CSV have every column). */
const TABLE_COLUMNS = {
  symbolWeeks: ['week_ending', 'tier', 'venue_type', 'symbol', 'total_volume', 'total_trades', 'venue_count', 'hhi', 'top_mpid', 'top_venue_share_pct',
    'ats_share_pct', 'rolling_mean_volume', 'trend_pct', 'trend_direction', 'quality_status', 'revision'],
  venueWeeks: ['week_ending', 'tier', 'venue_type', 'volume_rank', 'mpid', 'market_participant_name', 'total_volume', 'total_trades', 'symbol_count',
    'market_share_pct', 'revision'],
  lineChanges: ['change', 'symbol', 'mpid', 'before_volume', 'after_volume', 'before_trades', 'after_trades'],
} as const;

/**
 * One research question asked of the read models the API serves (same schemas, same answers), every page of it,
 * printed as a table, JSON (rows, provenance and any summary) or CSV (rows).
 */
async function ask(operationId: string, path: Record<string, unknown>, options: QueryOptions, columns: keyof typeof TABLE_COLUMNS): Promise<void> {
  const [{ researchEndpoints }, { datasets }] = await Promise.all([import('@spine/research'), import('@spine/datasets')]);
  const endpoint = (await researchEndpoints(datasets.list())).find((e) => e.operationId === operationId);
  if (!endpoint) throw new Error(`no research endpoint ${operationId}`);
  const raw = {
    tier: options.tier, venue_type: options.venueType, from: options.from, to: options.to, as_of_published: options.asOfPublished,
    as_of_captured: options.asOfCaptured, hhi_version: options.hhiVersion, page_size: '1000',
  };
  await answer(endpoint, path, raw, options, TABLE_COLUMNS[columns], (name) => `--${name.replaceAll('_', '-')}`);
}

/**
 * Any endpoint of /api/v1, every registered dataset's included, by its path as the API takes it (`/api/v1` may lead;
 * parameters after `?` and as NAME=VALUE arguments): the same schemas, every page, every column of its rows.
 */
async function get(target: string, params: string[], options: QueryOptions): Promise<void> {
  const { researchEndpoints } = await import('@spine/research');
  const { datasets } = await import('@spine/datasets');
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
async function answer(endpoint: Endpoint, path: Record<string, unknown>, raw: Record<string, string | undefined>, options: QueryOptions,
  shown: readonly string[] | undefined, optionName: (name: string) => string): Promise<void> {
  const { describeIssues, allPages, toCsv } = await import('@spine/research');
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

const pointInTime = (command: Command) => command
  .option('--as-of-published <date>', 'answer with the captures FINRA had published by this date (YYYY-MM-DD)')
  .option('--as-of-captured <instant>', 'answer with the captures this system had captured by this instant (ISO 8601, e.g. 2025-12-01T12:00:00Z)')
  .option('--json', 'print rows, provenance and summary as JSON')
  .option('--csv', 'print the rows as CSV');

const HHI_VERSION_OPTION = ['--hhi-version <major>',
  'read this major version of otc_symbol_concentration\'s HHI (1: 0..1, 2: 0..10,000), current or not; default: the current one'] as const;

export function registerQuery(program: Command): void {
  const query = program.command('query').description('research questions, answered as /api/v1 answers them (point in time with --as-of-*)');
  pointInTime(query.command('symbol').argument('<symbol>', 'issue symbol, e.g. AAPL').description("a symbol's weekly history")
    .option('--tier <tier>', 'only this tier').option('--venue-type <type>', 'ATS, NON_ATS or all', 'all')
    .option('--from <friday>', 'first week_ending').option('--to <friday>', 'last week_ending').option(...HHI_VERSION_OPTION))
    .action((symbol: string, opts: QueryOptions) => ask('symbolHistory', { symbol }, opts, 'symbolWeeks'));
  pointInTime(query.command('week').argument('<week_ending>', 'the Friday of the week').description("a week's research snapshot for a tier, or with --venues its venue table")
    .requiredOption('--tier <tier>', 'the tier').option('--venue-type <type>', 'ATS, NON_ATS or all', 'all')
    .option('--venues', 'the venue table instead of the snapshot').option(...HHI_VERSION_OPTION))
    .action((week: string, opts: QueryOptions) => (opts.venues
      ? ask('weekVenues', { week_ending: week }, opts, 'venueWeeks')
      : ask('weekSnapshot', { week_ending: week }, opts, 'symbolWeeks')));
  pointInTime(query.command('venue').argument('<mpid>', 'MPID, or CRD:<number> / DE_MINIMIS for non-ATS firms').description("a venue's weekly history")
    .option('--tier <tier>', 'only this tier').option('--venue-type <type>', 'ATS, NON_ATS or all', 'all')
    .option('--from <friday>', 'first week_ending').option('--to <friday>', 'last week_ending'))
    .action((mpid: string, opts: QueryOptions) => ask('venueHistory', { mpid }, opts, 'venueWeeks'));
  query.command('get').argument('<path>', 'an /api/v1 path, parameters after ? allowed: /datasets/regsho/symbols/AAPL/daily?from=2025-01-02')
    .argument('[params...]', 'more parameters as NAME=VALUE (as_of_published=2025-01-10)')
    .description('any /api/v1 question, every dataset\'s included (see /api/v1/openapi.json), with all its columns')
    .option('--json', 'print rows, provenance and any summary as JSON').option('--csv', 'print the rows as CSV')
    .action((path: string, params: string[], opts: QueryOptions) => get(path, params, opts));
  query.command('diff').argument('<capture_a>', 'the earlier capture_id').argument('<capture_b>', 'the later capture_id')
    .description('lines added, removed and changed between two captures of a partition')
    .option('--json', 'print rows, summary and provenance as JSON').option('--csv', 'print the rows as CSV')
    .action((a: string, b: string, opts: QueryOptions) => ask('revisionDiff', { capture_id: a, other_capture_id: b }, opts, 'lineChanges'));
}
