import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPartition, type Pool } from '@spine/platform';
import { dailyFileName, regshoDataset, type MarketCode } from '@spine/regsho';

/**
 * FINRA republishes `market`'s file of `day` (written under `dir` by writeDailyFiles): its first line's short volume
 * 1,000 and total 2,000 higher, loaded through runPartition as the partition's next revision, captured at `capturedAt`.
 * Returns the revision's capture and the republished file.
 */
export async function republishDailyFile(pool: Pool, dir: string, market: MarketCode, day: string, capturedAt: string):
  Promise<{ captureId: string; revision: number; file: string }> {
  const lines = readFileSync(join(dir, 'regsho', dailyFileName(market, day)), 'utf8').split('\n');
  const [date, name, short, exempt, total, code] = lines[1]!.split('|');
  lines[1] = [date, name, String(Number(short) + 1000), exempt, String(Number(total) + 2000), code].join('|');
  const file = join(dir, `${market}-revised.txt`);
  writeFileSync(file, lines.join('\n'));
  const revised = await runPartition(pool, regshoDataset, { key1: market, periodEnd: day, file, maxRejectShare: 0 });
  if (revised.status !== 'completed') throw new Error(`the republished ${market} file of ${day} did not complete: ${revised.status}`);
  await pool.query(`UPDATE core_captures SET captured_at = $2 WHERE capture_id = $1`, [revised.captureId, capturedAt]);
  return { captureId: revised.captureId, revision: revised.revision, file };
}
