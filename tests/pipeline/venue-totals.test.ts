import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { writeWeekFile } from '../support/week-files.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

/**
 * A week whose venues test what the totals must keep: NITE under two names (the share takes the smallest), volumes
 * whose sum passes 2^53 (exact only in bigint), a venue with no volume, and a duplicate key (NITE x AAA).
 */
const LINES = [
  'OTC|AAA|Aaa Inc.|Nite Securities|NITE|9007199254740000|2|2025-12-08',
  'OTC|AAA|Aaa Inc.|Virtu|VIRT|0|0|2025-12-08',
  'OTC|AAA|Aaa Inc.|Nite Securities|NITE|5|1|2025-12-08',
  'OTC|BBB|Bbb Inc.|NITE SECURITIES LLC|NITE|9007199254740993|3|2025-12-08',
  'OTC|BBB|Bbb Inc.|G1 Execution|GONE|77|7|2025-12-08',
  'OTC|CCC|Ccc Inc.|Nite Securities|NITE|300|4|2025-12-08',
];

/** The venue share of a capture as readers see it, and what the stage recorded it was summed from. */
async function venueShare(captureId: string): Promise<{ rows: unknown[]; summedFrom: string }> {
  const { rows } = await pool.query(
    `SELECT mpid, market_participant_name, total_volume, total_trades, symbol_count, market_share_pct, volume_rank
       FROM otc_venue_share WHERE capture_id = $1 ORDER BY mpid`, [captureId]);
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

async function ingestVenues(captureId: string): Promise<number | undefined> {
  const { rows: [m] } = await pool.query(`SELECT (metrics->'otc_raw'->>'venues')::int AS venues FROM core_manifest WHERE capture_id = $1 AND stage = 'ingest'`, [captureId]);
  return m.venues ?? undefined;
}

const storedTotals = async (captureId: string) => (await pool.query(
  'SELECT count(*)::int AS n FROM otc_week_venues WHERE capture_key = (SELECT capture_key FROM core_captures WHERE capture_id = $1)', [captureId])).rows[0].n;

describe("otc_venue_share from ingest's totals per venue", () => {
  it("sums the stored lines' totals per MPID and name: the same rows as from the lines, bigint sums and the smallest name kept", async () => {
    const run = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(LINES), maxRejectShare: 0.5 });
    expect(run.status).toBe('completed');
    // NITE under two names, VIRT, GONE; the duplicate NITE x AAA line was rejected in the stream and not counted.
    expect(await ingestVenues(run.captureId)).toBe(4);
    const { rows: totals } = await pool.query(
      `SELECT mpid, market_participant_name, total_volume::text, total_trades::text, line_count FROM otc_week_venues ORDER BY 1, 2`);
    expect(totals).toEqual([
      { mpid: 'GONE', market_participant_name: 'G1 Execution', total_volume: '77', total_trades: '7', line_count: 1 },
      { mpid: 'NITE', market_participant_name: 'NITE SECURITIES LLC', total_volume: '9007199254740993', total_trades: '3', line_count: 1 },
      { mpid: 'NITE', market_participant_name: 'Nite Securities', total_volume: '9007199254740300', total_trades: '6', line_count: 2 },
      { mpid: 'VIRT', market_participant_name: 'Virtu', total_volume: '0', total_trades: '0', line_count: 1 },
    ]);
    const share = await venueShare(run.captureId);
    expect(share.summedFrom).toBe('otc_week_venues');
    expect(share.rows).toEqual(await fromLines(run.captureId));
    expect(share.rows[1]).toMatchObject({ mpid: 'NITE', total_volume: '18014398509481293', symbol_count: 3 });

    // Run again: the capture's totals are replaced, not added to.
    const again = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(LINES), maxRejectShare: 0.5, force: true });
    expect(again.captureId).toBe(run.captureId);
    expect(await storedTotals(run.captureId)).toBe(4);
    expect((await venueShare(run.captureId)).rows).toEqual(share.rows);
  });

  it('keeps the totals of a file out of order without duplicates, and reads the lines when duplicates were taken back', async () => {
    const unique = LINES.filter((_, i) => i !== 2);
    const outOfOrder = [unique[4]!, unique[2]!, unique[0]!, unique[3]!, unique[1]!];
    const grouped = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(outOfOrder), maxRejectShare: 0.5 });
    expect(await ingestVenues(grouped.captureId)).toBe(4);
    const share = await venueShare(grouped.captureId);
    expect(share.summedFrom).toBe('otc_week_venues');
    expect(share.rows).toEqual(await fromLines(grouped.captureId));

    // The duplicate comes after the order broke: COPYed, then taken back out of the lines, which the totals counted.
    const withDuplicate = [...outOfOrder, LINES[2]!];
    const taken = await runWeek(pool, { tier: 'OTC', weekEnding: '2025-12-05', file: writeWeekFile(withDuplicate), maxRejectShare: 0.5, force: true });
    expect(await ingestVenues(taken.captureId)).toBeUndefined();
    expect(await storedTotals(taken.captureId)).toBe(0);
    const fallback = await venueShare(taken.captureId);
    expect(fallback.summedFrom).toBe('otc_week_lines');
    expect(fallback.rows).toEqual(share.rows);
  });
});
