import { inject } from 'vitest';
import { createPool, type Pool } from '@spine/platform';

/** The run's database (see global-setup.ts). Each test file truncates what it writes via resetData. */
export function testDatabaseUrl(): string {
  return inject('databaseUrl');
}

export function testPool(): Pool {
  return createPool(testDatabaseUrl(), 5);
}

const DATA_TABLES = [
  'regsho_daily_lines', 'otc_ats_share_symbols', 'otc_ats_share_pairs', 'otc_rolling_windows', 'otc_week_symbols', 'otc_venue_share', 'otc_week_lines', 'otc_week_venues', 'core_calc_lineage', 'core_rejects', 'core_quality', 'core_anomalies', 'core_manifest',
  'core_data_readiness', 'core_raw_files', 'core_captures', 'core_executions', 'core_batches', 'research_api_tokens',
];

/** Empties every data table (the schema, the calculation graph and the schedules stay). */
export async function resetData(pool: Pool): Promise<void> {
  await pool.query(`TRUNCATE ${DATA_TABLES.join(', ')} RESTART IDENTITY CASCADE`);
}
