import type { Command } from 'commander';
import { partitionKeys } from '@spine/platform/dataset/dataset-definition';
import { seriesName } from '@spine/platform/dataset/partition-labels';
import { InputError } from '@spine/platform/errors';
import type { Schedule, SettableColumn } from '@spine/scheduling';
import { printJson, withRuntime } from '../runtime.ts';

async function scheduleTable(schedules: Schedule[]): Promise<string> {
  const [{ renderTable }, { datasets }] = await Promise.all([import('../table.ts'), import('@spine/datasets')]);
  const series = (s: Schedule) => seriesName(datasets.find(s.domain) ?? datasets.first, s.tier, s.venue_type);
  return renderTable(
    ['id', 'dataset', 'partition', 'stage', 'enabled', 'lag periods', 'day', 'time', 'timezone', 'warn h', 'critical h', 'lookback', 'revisions', 'source'],
    schedules.map((s) => [s.schedule_id, s.domain, series(s), s.stage, s.enabled ? 'yes' : 'no', s.publication_lag_weeks, s.expected_day_of_week, s.expected_time,
      s.timezone, s.tolerance_hours, s.critical_after_hours, s.lookback_weeks, s.revision_lookback_weeks, s.source]),
  );
}

function parseId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1) throw new InputError(`schedule id must be a positive whole number, got "${text}"`);
  return id;
}

/** `key=value` pairs for `schedules set`, checked against the columns that may change. */
async function parseAssignments(pairs: string[]): Promise<Partial<Record<SettableColumn, string>>> {
  const { isSettable, SETTABLE } = await import('@spine/scheduling/schedules-repo');
  if (pairs.length === 0) throw new InputError(`give at least one column=value; columns: ${Object.keys(SETTABLE).join(', ')}`);
  return Object.fromEntries(pairs.map((pair) => {
    const [key, ...rest] = pair.split('=');
    if (!key || rest.length === 0 || !isSettable(key)) throw new InputError(`"${pair}" is not column=value with a column among ${Object.keys(SETTABLE).join(', ')}`);
    return [key, rest.join('=')];
  }));
}

export function registerSchedules(program: Command): void {
  const schedules = program.command('schedules').description('the publication calendar in core_expected_schedules');
  schedules.command('list').description('every schedule').option('--json', 'print as JSON').action(async (opts: { json?: boolean }) =>
    withRuntime(async ({ pool }) => {
      const { loadSchedules } = await import('@spine/scheduling/schedules-repo');
      const all = await loadSchedules(pool, { includeDisabled: true });
      if (opts.json) return printJson(all);
      process.stdout.write(`${await scheduleTable(all)}\n`);
    }));
  for (const [name, enabled] of [['enable', true], ['disable', false]] as const) {
    schedules.command(name).argument('<id>', 'schedule id').description(`${name} a schedule`).option('--json', 'print as JSON').action(async (id: string, opts: { json?: boolean }) => {
      const scheduleId = parseId(id);
      await withRuntime(async ({ pool }) => {
        const { updateSchedule } = await import('@spine/scheduling/schedules-repo');
        const updated = await updateSchedule(pool, scheduleId, { enabled });
        if (!updated) throw new InputError(`no schedule with id ${scheduleId}`);
        if (opts.json) return printJson(updated);
        process.stdout.write(`${await scheduleTable([updated])}\n`);
      });
    });
  }
  schedules.command('set').argument('<id>', 'schedule id').argument('<column=value...>', 'columns to change').description('change a schedule')
    .option('--json', 'print as JSON')
    .action(async (id: string, pairs: string[], opts: { json?: boolean }) => {
      const scheduleId = parseId(id);
      const changes = await parseAssignments(pairs);
      // The scheduler enqueues whatever the row says, so the row gets the checks a backfill request gets.
      if (changes.source !== undefined) {
        const [{ loadCliEnv }, { requestedSource, sourceAllowListFromEnv }] = await Promise.all([import('../cli-env.ts'), import('@spine/finra-source')]);
        changes.source = requestedSource(changes.source, sourceAllowListFromEnv(loadCliEnv()));
      }
      await withRuntime(async ({ pool }) => {
        const { updateSchedule } = await import('@spine/scheduling/schedules-repo');
        let updated: Schedule | undefined;
        try {
          updated = await updateSchedule(pool, scheduleId, changes);
        } catch (error) {
          throw new InputError(`cannot set ${Object.keys(changes).join(', ')}: ${(error as Error).message}`);
        }
        if (!updated) throw new InputError(`no schedule with id ${scheduleId}`);
        if (opts.json) return printJson(updated);
        process.stdout.write(`${await scheduleTable([updated])}\n`);
      });
    });
}

export function registerLag(program: Command): void {
  program.command('lag').description('per dataset and partition: latest complete period, expected period, the source\'s lateness apart from ours, open alerts')
    .option('--venue-type <type>', 'a venue type or all', 'all')
    .option('--missing', 'one line per due partition that has not arrived, with whose lateness it is')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean; missing?: boolean; venueType: string }) => {
      const [{ datasets }, { unknownKeyValue }] = await Promise.all([import('@spine/datasets'), import('@spine/platform/dataset/dataset-registry')]);
      const all = opts.venueType.trim().toLowerCase() === 'all';
      // The lag spans every dataset's schedules: a value any of them takes.
      const venueType = all ? undefined : datasets.list().map((d) => partitionKeys(d)[1].parse(opts.venueType)).find((v) => v !== undefined);
      if (!all && !venueType) throw new InputError(unknownKeyValue(partitionKeys(datasets.first)[1], opts.venueType, true));
      await withRuntime(async ({ env, pool, logger }) => {
        const [{ lagReport }, { sourcePublication }, { publishingSourceCatalog }, { lagOverview, lagText }, { renderTable }] = await Promise.all([
          import('@spine/scheduling/lag-report'), import('@spine/orchestration/publication-check'), import('@spine/finra-source'), import('@spine/operations/lag-view'), import('../table.ts'),
        ]);
        const publication = sourcePublication(datasets, publishingSourceCatalog(env));
        const onLookupError = (source: string, error: Error) => logger.warn({ source, err: error.message }, 'could not ask the source which periods it has published');
        const ofVenueType = <T extends { venue_type: string }>(all: T[]) => all.filter((l) => !venueType || l.venue_type === venueType);
        if (opts.json) return printJson(ofVenueType(await lagReport(pool, new Date(), publication, onLookupError)));
        // "not published" is FINRA being late; "not loaded" is this system being late: they call for different people,
        // so each is counted from its own oldest week.
        const rows = ofVenueType(await lagOverview(pool, new Date(), publication, onLookupError));
        const partition = (r: { dataset: string; tier: string; venue_type: string }) => seriesName(datasets.get(r.dataset), r.tier, r.venue_type);
        const late = (weeks: { count: number; oldest: string | null; late_hours: number } | null) =>
          weeks === null ? '? (source cannot tell)' : weeks.count === 0 ? '-' : `${weeks.count}, oldest ${weeks.oldest}, ${lagText(weeks.late_hours)} late`;
        if (opts.missing) {
          const missing = rows.flatMap((l) => l.missing);
          if (missing.length === 0) return void process.stdout.write('no due partition is missing\n');
          return void process.stdout.write(`${renderTable(['dataset', 'partition', 'period', 'expected at', 'late', 'whose'],
            missing.map((m) => [m.dataset, partition(m), m.week_ending, m.expected_at, lagText(m.late_hours), m.state === 'not_published' ? 'the source (not published)' : `ours (${m.state})`]))}\n`);
        }
        process.stdout.write(`${renderTable(['dataset', 'partition', 'latest complete', 'expected period', 'expected at', 'not published (source late)', 'not loaded (ours)', 'open alerts'],
          rows.map((l) => [l.dataset, partition(l), l.latest_complete_week ?? '-', l.expected_week, l.expected_at, late(l.not_published), late(l.not_loaded),
            l.open_alerts.map((a) => `${a.severity} ${a.week_ending}`).join(', ') || '-']))}\n`);
      });
    });
}
