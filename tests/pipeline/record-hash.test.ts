import { createHash } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { testPool, resetData } from '../support/database.ts';
import { writeWeekFile } from '../support/week-files.ts';

const pool = testPool();
afterAll(() => pool.end());
beforeEach(() => resetData(pool));

const sha256 = (fields: string[]) => createHash('sha256').update(fields.join('\u001f'), 'utf8').digest('hex');

describe('record_hash, a source row\'s dedup key', () => {
  it('is the SHA-256 of the normalized fields, the same for the same content wherever the line stands', async () => {
    const a = 'NMS Tier 1|aapl |Apple Inc. \\ Common|Venue Ünïcode|nite|0001000|10|2025-12-29';
    const b = 'NMS Tier 1|MSFT|Microsoft|Venue B|VIRT|500|5|2025-12-29';
    const first = await runWeek(pool, { tier: 'T1', weekEnding: '2025-12-12', file: writeWeekFile([a, b]), maxRejectShare: 0.5 });
    const second = await runWeek(pool, { tier: 'T1', weekEnding: '2025-12-12', file: writeWeekFile([b, a, '']), maxRejectShare: 0.5 });
    const hashes = async (captureId: string) => (await pool.query(
      `SELECT r.symbol, r.record_hash, v.record_hash AS silver FROM otc_raw r JOIN otc_venue_volume v USING (capture_id, symbol, mpid)
        WHERE r.capture_id = $1 ORDER BY r.symbol`, [captureId])).rows;
    const expected = [
      { symbol: 'AAPL', record_hash: sha256(['AAPL', 'NITE', '1000', '10', 'Apple Inc. \\ Common', 'Venue Ünïcode']) },
      { symbol: 'MSFT', record_hash: sha256(['MSFT', 'VIRT', '500', '5', 'Microsoft', 'Venue B']) },
    ].map((r) => ({ ...r, silver: r.record_hash }));
    expect(second.captureId).not.toBe(first.captureId);
    expect(await hashes(first.captureId)).toEqual(expected);
    expect(await hashes(second.captureId)).toEqual(expected);
  });
});
