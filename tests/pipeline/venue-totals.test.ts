import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { venueShare as venueShareCalc } from '@spine/otc/calcs/venue-share';
import { withTransaction } from '@spine/platform/db/pool';
import { testPool, resetData } from '../support/database.ts';
import { ingestMetrics, venueShareRows } from '../support/otc-capture.ts';
import { writeWeekFile } from '../support/week-files.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

/**
 * A week whose venues test what the totals must keep: NITE under two names (the share takes the smallest), volumes
 * whose sums pass 2^53 (exact only as bigints), a venue with no volume, and a duplicate key (NITE x AAA).
 */
const LINES = [
  'OTC|AAA|Aaa Inc.|Nite Securities|NITE|9007199254740000|2|2025-12-08',
  'OTC|AAA|Aaa Inc.|Virtu|VIRT|0|0|2025-12-08',
  'OTC|AAA|Aaa Inc.|Nite Securities|NITE|5|1|2025-12-08',
  'OTC|BBB|Bbb Inc.|NITE SECURITIES LLC|NITE|9007199254740993|3|2025-12-08',
  'OTC|BBB|Bbb Inc.|G1 Execution|GONE|77|7|2025-12-08',
  'OTC|CCC|Ccc Inc.|Nite Securities|NITE|300|4|2025-12-08',
  'OTC|DDD|Ddd Inc.|NITE SECURITIES LLC|NITE|9007199254740993|5|2025-12-08',
];

/** The venue share of a capture as readers see it, and what the stage recorded it was summed from. */
async function venueShare(captureId: string): Promise<{ rows: unknown[]; summedFrom: string }> {
  const rows = await venueShareRows(pool, captureId);
  const { rows: [stage] } = await pool.query(
    `SELECT metrics->'otc_venue_share'->>'summed_from' AS summed_from FROM core_manifest WHERE capture_id = $1 AND stage = 'aggregate'`, [captureId]);
  return { rows, summedFrom: stage.summed_from };
}

/** The venue share as summed from the capture's stored lines, in SQL. */
async function fromLines(captureId: string): Promise<unknown[]> {
  const { rows } = await pool.query(
    `WITH v AS (SELECT mpid, min(market_participant_name) AS name, sum(total_weekly_share_quantity) AS volume,
                       sum(total_weekly_trade_count) AS trades, count(*) AS symbols
                  FROM otc_raw WHERE capture_id = $1 GROUP BY mpid)
     SELECT mpid, name AS market_participant_name, volume AS total_volume, trades AS total_trades, symbols::int AS symbol_count,
            round(100 * volume / sum(volume) OVER (), 4) AS market_share_pct, (rank() OVER (ORDER BY volume DESC))::int AS volume_rank
       FROM v ORDER BY mpid`, [captureId]);
  return rows;
}

const storedTotals = async (captureId: string) => (await pool.query(
  'SELECT count(*)::int AS n FROM otc_week_venues WHERE capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)', [captureId])).rows[0].n;

describe("otc_venue_share from ingest's totals per venue", () => {
  it("sums the stored lines' totals per MPID and name: the same rows as from the lines, bigint sums and the smallest name kept", async () => {
    const run = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(LINES), maxRejectShare: 0.5 });
    expect(run.status).toBe('completed');
    // NITE under two names, VIRT, GONE; the duplicate NITE x AAA line was rejected in the stream and not counted.
    expect(await ingestMetrics(pool, run.captureId)).toMatchObject({ venues: 4, symbol_pass: 'stream', rejects_by_reason: { DUPLICATE_KEY: 1 } });
    const { rows: totals } = await pool.query(
      `SELECT mpid, market_participant_name, total_volume::text, total_trades::text, line_count FROM otc_week_venues
        ORDER BY mpid COLLATE "C", market_participant_name COLLATE "C"`);
    expect(totals).toEqual([
      { mpid: 'GONE', market_participant_name: 'G1 Execution', total_volume: '77', total_trades: '7', line_count: 1 },
      { mpid: 'NITE', market_participant_name: 'NITE SECURITIES LLC', total_volume: '18014398509481986', total_trades: '8', line_count: 2 },
      { mpid: 'NITE', market_participant_name: 'Nite Securities', total_volume: '9007199254740300', total_trades: '6', line_count: 2 },
      { mpid: 'VIRT', market_participant_name: 'Virtu', total_volume: '0', total_trades: '0', line_count: 1 },
    ]);
    const share = await venueShare(run.captureId);
    expect(share.summedFrom).toBe('otc_week_venues');
    expect(share.rows).toEqual(await fromLines(run.captureId));
    expect(share.rows[1]).toMatchObject({ mpid: 'NITE', total_volume: '27021597764222286', symbol_count: 4 });

    // Run again: the capture's totals are replaced, not added to.
    const again = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(LINES), maxRejectShare: 0.5, force: true });
    expect(again.captureId).toBe(run.captureId);
    expect(await storedTotals(run.captureId)).toBe(4);
    expect((await venueShare(run.captureId)).rows).toEqual(share.rows);
  });

  it('keeps the totals of a file out of order without duplicates taken back, and reads the lines when some were', async () => {
    const unique = LINES.filter((_, i) => i !== 2);
    const outOfOrder = [unique[4]!, unique[2]!, unique[0]!, unique[3]!, unique[1]!, unique[5]!];
    const grouped = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(outOfOrder), maxRejectShare: 0.5 });
    expect(await ingestMetrics(pool, grouped.captureId)).toMatchObject({ venues: 4, symbol_pass: 'grouped' });
    const share = await venueShare(grouped.captureId);
    expect(share.summedFrom).toBe('otc_week_venues');
    expect(share.rows).toEqual(await fromLines(grouped.captureId));

    // The duplicate comes before the order breaks: rejected in the stream, never COPYed, so nothing is taken back.
    const earlyDuplicate = [LINES[0]!, LINES[1]!, LINES[2]!, LINES[5]!, LINES[3]!, LINES[4]!, LINES[6]!];
    const kept = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(earlyDuplicate), maxRejectShare: 0.5, force: true });
    expect(await ingestMetrics(pool, kept.captureId)).toMatchObject({ venues: 4, symbol_pass: 'grouped', rejects_by_reason: { DUPLICATE_KEY: 1 } });
    expect(await venueShare(kept.captureId)).toEqual(share);

    // The duplicate comes after the order broke: COPYed, then taken back out of the lines, which the totals counted.
    const lateDuplicate = [...outOfOrder, LINES[2]!];
    const taken = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(lateDuplicate), maxRejectShare: 0.5, force: true });
    expect(await ingestMetrics(pool, taken.captureId)).toMatchObject({ symbol_pass: 'grouped', rejects_by_reason: { DUPLICATE_KEY: 1 } });
    expect((await ingestMetrics(pool, taken.captureId)).venues).toBeUndefined();
    expect(await storedTotals(taken.captureId)).toBe(0);
    expect(await venueShare(taken.captureId)).toEqual({ ...share, summedFrom: 'otc_week_lines' });
  });

  it("reads the lines when the capture's totals are not all there, whatever its manifest says (a rollback of migration 1400)", async () => {
    const run = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(LINES), maxRejectShare: 0.5 });
    const expected = await venueShare(run.captureId);
    await pool.query(`DELETE FROM otc_week_venues WHERE mpid = 'GONE'`);
    const { rows: [stage] } = await pool.query(
      `SELECT execution_id, batch_id, to_char(captured_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS captured_at FROM otc_venue_share WHERE capture_id = $1 LIMIT 1`,
      [run.captureId]);
    const result = await withTransaction(pool, (client) => venueShareCalc({
      client, calcName: 'otc_venue_share', calcVersion: 1, sideBySide: false, options: { maxRejectShare: 0.5 },
      stage: { executionId: stage.execution_id, parentExecutionId: null, batchId: stage.batch_id, correlationId: stage.batch_id, pipeline: 'otc',
        stage: 'aggregate', periodEnd: '2025-12-05', key1: 'OTC', key2: 'ATS', capturedAt: stage.captured_at, force: true,
        key: { domain: 'otc', periodEnd: '2025-12-05', key1: 'OTC', key2: 'ATS', captureId: run.captureId } },
    }));
    expect(result).toEqual({ rows: 3, metrics: { summed_from: 'otc_week_lines' } });
    expect((await venueShare(run.captureId)).rows).toEqual(expected.rows);
  });
});
