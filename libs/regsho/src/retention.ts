import { withTransaction, type Pool, type PoolClient } from '@spine/platform/db/pool';
import type { RetentionOptions, RetentionResult, RetentionTableResult } from '@spine/platform/dataset/dataset-definition';
import { DOMAIN } from './domain.ts';
import { DAILY_VOLUME_CALC } from './stages/daily-ingest.ts';

/**
 * The one table a policy can name: regsho_daily_volume, the view of the stored lines. Every other view is computed
 * from it when read, so it keeps what the lines keep.
 */
const POLICY_TABLE = DAILY_VOLUME_CALC;

/** The captures of trade dates before $2 - $3 (asOf - keep): their published lineage rows ($4) and their lines. */
const OLD_CAPTURES = `old AS (SELECT capture_key FROM core_captures WHERE domain = $1 AND period_end < ($2::date - $3::interval)::date)`;
/** A dry run counts what the run would retire. */
const COUNT = `WITH ${OLD_CAPTURES}
  SELECT (SELECT count(*) FROM core_calc_lineage g JOIN old USING (capture_key) WHERE g.calc_name = $4)::int AS captures,
         (SELECT count(*) FROM regsho_daily_lines l JOIN old USING (capture_key))::int AS rows`;
/** The run retires them: the views stop showing the captures and their lines are freed. */
const RETIRE = `WITH ${OLD_CAPTURES},
    lineage AS (DELETE FROM core_calc_lineage g USING old WHERE g.capture_key = old.capture_key AND g.calc_name = $4 RETURNING g.capture_key),
    lines AS (DELETE FROM regsho_daily_lines l USING old WHERE l.capture_key = old.capture_key RETURNING l.capture_key)
  SELECT (SELECT count(*) FROM lineage)::int AS captures, (SELECT count(*) FROM lines)::int AS rows`;

/**
 * Applies core_retention_policies of the regsho domain in one transaction: captures whose trade date is before
 * `asOf - keep` lose their lineage row (the views stop showing them) and their lines. A dry run counts the same rows
 * and changes nothing. A policy naming another table fails the run before anything changes.
 */
export async function applyRetention(pool: Pool, options: RetentionOptions): Promise<RetentionResult> {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  return withTransaction(pool, (client) => retire(client, asOf, options.dryRun));
}

async function retire(client: PoolClient, asOf: string, dryRun: boolean): Promise<RetentionResult> {
  const { rows: policies } = await client.query<{ table_name: string; keep: string | null }>(
    'SELECT table_name, keep::text AS keep FROM core_retention_policies WHERE domain = $1 ORDER BY table_name', [DOMAIN]);
  const unknown = policies.filter((p) => p.table_name !== POLICY_TABLE).map((p) => p.table_name);
  if (unknown.length) throw new Error(`core_retention_policies names tables of ${DOMAIN} that spine does not know: ${unknown.join(', ')} (only ${POLICY_TABLE})`);
  const tables: RetentionTableResult[] = [];
  const freed: Record<string, number> = {};
  for (const { table_name: table, keep } of policies) {
    if (keep === null) {
      tables.push({ table, keep, captures: 0, rows: 0 });
      continue;
    }
    const { rows: [retired] } = await client.query<{ captures: number; rows: number }>(dryRun ? COUNT : RETIRE, [DOMAIN, asOf, keep, POLICY_TABLE]);
    tables.push({ table, keep, captures: retired!.captures, rows: retired!.rows });
    freed.regsho_daily_lines = retired!.rows;
  }
  return { dry_run: dryRun, as_of: asOf, tables, freed };
}
