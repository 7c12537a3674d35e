import type { Queryable } from '@spine/platform';
import type { AlertTransition } from './lag-alerts.ts';

/**
 * Writes alert transitions to core_anomalies (category FRESHNESS) and returns those that took effect. The partial
 * unique index on open freshness anomalies makes a transition another tick or replica already wrote a no-op, so
 * only the writer that changed the state notifies.
 */
export async function applyTransitions(db: Queryable, domain: string, transitions: AlertTransition[]): Promise<AlertTransition[]> {
  const applied: AlertTransition[] = [];
  for (const t of transitions) {
    if (t.change === 'resolved') {
      const { rowCount } = await db.query(
        `UPDATE core_anomalies SET resolved_at = now()
          WHERE domain = $1 AND category = 'FRESHNESS' AND tier = $2 AND venue_type = $4 AND week_ending = $3 AND resolved_at IS NULL`,
        [domain, t.tier, t.week_ending, t.venue_type],
      );
      if (rowCount) applied.push(t);
      continue;
    }
    const { rowCount } = await db.query(
      `INSERT INTO core_anomalies (domain, category, severity, week_ending, tier, venue_type, message, detail)
       VALUES ($1, 'FRESHNESS', $2, $3, $4, $7, $5, $6)
       ON CONFLICT (domain, week_ending, tier, venue_type, severity) WHERE category = 'FRESHNESS' AND resolved_at IS NULL DO NOTHING`,
      [domain, t.severity, t.week_ending, t.tier, `${t.tier} ${t.venue_type} ${t.week_ending} is ${t.lag_hours} h late (expected ${t.expected_at})`,
        JSON.stringify({ lag_hours: t.lag_hours, expected_at: t.expected_at, change: t.change, published: t.published ?? null }), t.venue_type],
    );
    if (rowCount) applied.push(t);
  }
  return applied;
}
