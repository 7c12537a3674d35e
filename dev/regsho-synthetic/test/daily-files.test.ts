import { readFile, readdir } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '@spine/platform';
import { DailyFileReader } from '@spine/regsho';
import { dailyFileText, writeDailyFiles } from '../src/daily-files.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'regsho-synthetic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every verdict of a file, and what end() says. */
function read(text: string, tradeDate: string, marketCode: 'N' | 'Q' | 'B' | 'D') {
  const reader = new DailyFileReader({ tradeDate, marketCode });
  const lines = text.split('\n').slice(0, -1);
  const verdicts = lines.map((line, i) => reader.line(line, i + 1)).filter((v) => v !== undefined).map((v) => v.verdict);
  return { verdicts, end: reader.end() };
}

describe('synthetic Reg SHO daily files', () => {
  it('are FINRA\'s layout, every line accepted, fractions on some lines, the trailer right', () => {
    const text = dailyFileText('2025-01-10', 'Q', 200, 7);
    const { verdicts, end } = read(text, '2025-01-10', 'Q');
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(end.records).toBe(verdicts.length);
    expect(end.records).toBeGreaterThan(120);
    expect(end.records).toBeLessThan(200);
    expect(text).toMatch(/\|\d+\.(25|5|75)\|Q\n/);
  });

  it('are the same bytes for the same day, facility and seed, and differ otherwise', () => {
    expect(dailyFileText('2025-01-10', 'Q', 50, 7)).toBe(dailyFileText('2025-01-10', 'Q', 50, 7));
    expect(dailyFileText('2025-01-10', 'Q', 50, 7)).not.toBe(dailyFileText('2025-01-10', 'N', 50, 7));
    expect(dailyFileText('2025-01-10', 'Q', 50, 7)).not.toBe(dailyFileText('2025-01-10', 'Q', 50, 8));
  });

  it('are written for trading days only, as FINRA names them', async () => {
    const calendar = new TradingCalendar('XNYS', '2025-01-01', '2025-12-31', [{ day: '2025-01-09', reason: 'closed', unscheduled: true }]);
    const { files, records } = await writeDailyFiles({ dir, days: calendar.tradingDays('2025-01-08', '2025-01-13'), symbols: 20, markets: ['Q', 'N'] });
    expect((await readdir(path.join(dir, 'regsho'))).sort()).toEqual([
      'FNSQshvol20250108.txt', 'FNSQshvol20250110.txt', 'FNSQshvol20250113.txt', 'FNYXshvol20250108.txt', 'FNYXshvol20250110.txt', 'FNYXshvol20250113.txt',
    ]);
    let counted = 0;
    for (const file of files) counted += read(await readFile(file, 'utf8'), `${file.slice(-12, -8)}-${file.slice(-8, -6)}-${file.slice(-6, -4)}`, file.includes('FNSQ') ? 'Q' : 'N').end.records;
    expect(counted).toBe(records);
  });
});
