import { fromWire, wireSeriesName, type DatasetDefinition, type Queryable, type SeriesKey } from '@spine/platform';
import type { AlertTransition } from './lag-alerts.ts';
import type { QualityAlert, QualityFinding } from './quality-alerts.ts';

/**
 * Writes alert transitions to core_anomalies (category FRESHNESS) and returns those that took effect. The partial
 * unique index on open freshness anomalies makes a transition another tick or replica already wrote a no-op, so
 * only the writer that changed the state notifies.
 */
export async function applyTransitions(db: Queryable, dataset: Pick<DatasetDefinition, 'name' | 'keys'>, transitions: AlertTransition[]): Promise<AlertTransition[]> {
  const domain = dataset.name;
  const applied: AlertTransition[] = [];
  for (const t of transitions) {
    const { periodEnd, key1, key2 } = fromWire(domain, t);
    if (t.change === 'resolved') {
      const { rowCount } = await db.query(
        `UPDATE core_anomalies SET resolved_at = now()
          WHERE domain = $1 AND category = 'FRESHNESS' AND key_1 = $2 AND key_2 = $4 AND period_end = $3 AND resolved_at IS NULL`,
        [domain, key1, periodEnd, key2],
      );
      if (rowCount) applied.push(t);
      continue;
    }
    const { rowCount } = await db.query(
      `INSERT INTO core_anomalies (domain, category, severity, period_end, key_1, key_2, message, detail)
       VALUES ($1, 'FRESHNESS', $2, $3, $4, $7, $5, $6)
       ON CONFLICT (domain, period_end, key_1, key_2, severity) WHERE category = 'FRESHNESS' AND resolved_at IS NULL DO NOTHING`,
      [domain, t.severity, periodEnd, key1, `${wireSeriesName(dataset, t)} ${t.week_ending} is ${t.lag_hours} h late (expected ${t.expected_at})`,
        JSON.stringify({ lag_hours: t.lag_hours, expected_at: t.expected_at, change: t.change, published: t.published ?? null }), key2],
    );
    if (rowCount) applied.push(t);
  }
  return applied;
}

/** The QUALITY alerts open for a series' weeks, by week. */
export async function openQualityAlerts(db: Queryable, domain: string, series: SeriesKey, weeks: string[]): Promise<Map<string, QualityFinding[]>> {
  const { rows } = await db.query<{ week_ending: string; check_name: string; severity: QualityFinding['severity']; message: string }>(
    `SELECT to_char(period_end, 'YYYY-MM-DD') AS week_ending, detail->>'check' AS check_name, severity, detail->>'finding' AS message FROM core_anomalies
      WHERE domain = $1 AND category = 'QUALITY' AND key_1 = $2 AND key_2 = $3 AND period_end = ANY($4::date[]) AND resolved_at IS NULL`,
    [domain, series.key1, series.key2, weeks],
  );
  const open = new Map<string, QualityFinding[]>();
  for (const r of rows) open.set(r.week_ending, [...(open.get(r.week_ending) ?? []), { check: r.check_name, severity: r.severity, message: r.message }]);
  return open;
}

/**
 * Writes quality alert changes to core_anomalies (category QUALITY, the check in detail) and returns those that took
 * effect. As for freshness, a partial unique index allows one open row per week, partition, check and severity, so a
 * change another tick or replica already wrote is a no-op and only its writer notifies.
 */
export async function applyQualityTransitions(db: Queryable, dataset: Pick<DatasetDefinition, 'name' | 'keys'>, transitions: QualityAlert[]): Promise<QualityAlert[]> {
  const domain = dataset.name;
  const applied: QualityAlert[] = [];
  for (const t of transitions) {
    const { periodEnd, key1, key2 } = fromWire(domain, t);
    const { rowCount } = t.change === 'resolved'
      ? await db.query(
        `UPDATE core_anomalies SET resolved_at = now()
          WHERE domain = $1 AND category = 'QUALITY' AND key_1 = $2 AND key_2 = $3 AND period_end = $4 AND detail->>'check' = $5 AND severity = $6
            AND resolved_at IS NULL`,
        [domain, key1, key2, periodEnd, t.check, t.severity],
      )
      : await db.query(
        `INSERT INTO core_anomalies (domain, category, severity, period_end, key_1, key_2, message, detail)
         VALUES ($1, 'QUALITY', $2, $3, $4, $5, $6, $7)
         ON CONFLICT (domain, period_end, key_1, key_2, (detail->>'check'), severity) WHERE category = 'QUALITY' AND resolved_at IS NULL DO NOTHING`,
        [domain, t.severity, periodEnd, key1, key2, `${wireSeriesName(dataset, t)} ${t.week_ending}: ${t.check}: ${t.message}`,
          JSON.stringify({ check: t.check, finding: t.message })],
      );
    if (rowCount) applied.push(t);
  }
  return applied;
}
