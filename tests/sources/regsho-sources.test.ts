import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { NO_SECOND_KEY, SourceNotFoundError, type PartitionRequest } from '@spine/platform';
import { sourceAccess } from '@spine/finra-source';
import { startFinraStandIn, type FinraStandIn } from '@spine/finra-stand-in/server';
import { DAILY_HEADER, dailyFileName, type MarketCode } from '@spine/regsho';
import { openRegShoSource } from '@spine/regsho/source/regsho-source';
import { writeDailyFiles } from '@spine/regsho-synthetic';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readText, silentLogger, tempFiles } from '../../libs/finra-source/test/support.ts';

// Three trading days around the unscheduled closure of 2025-01-09, of which FINRA published no file.
const DAYS = ['2025-01-07', '2025-01-08', '2025-01-10'];
const day = (tradeDate: string, marketCode: MarketCode): PartitionRequest => ({ periodEnd: tradeDate, key1: marketCode, key2: NO_SECOND_KEY });

let fixtures: Awaited<ReturnType<typeof tempFiles>>;
let standIn: FinraStandIn;

beforeAll(async () => {
  fixtures = await tempFiles({});
  await writeDailyFiles({ dir: fixtures.dir, days: DAYS, symbols: 60, seed: 7 });
  // ADF with no short sales that day: FINRA still publishes its file, a trailer of 0.
  await writeFile(path.join(fixtures.dir, 'regsho', dailyFileName('D', '2025-01-08')), `${DAILY_HEADER}\n0\n`);
  standIn = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger, today: () => '2025-01-13' });
});
afterAll(async () => {
  await standIn?.close();
  await fixtures?.remove();
});

const fileOf = (tradeDate: string, marketCode: MarketCode) => readFile(path.join(fixtures.dir, 'regsho', dailyFileName(marketCode, tradeDate)), 'utf8');
/** Header, records in symbol order, trailer: the Query API answers in the order asked, the file in FINRA's. */
const inSymbolOrder = (text: string) => {
  const lines = text.trimEnd().split('\n');
  return [lines[0], ...lines.slice(1, -1).sort((a, b) => a.split('|')[1]!.localeCompare(b.split('|')[1]!)), lines.at(-1)];
};

describe('Reg SHO daily short-sale volume from its sources', () => {
  it('reads a facility\'s day from FINRA\'s Query API as that facility\'s daily file: the same records, header and trailer', async () => {
    const source = openRegShoSource(sourceAccess('finra', { finraApi: { baseUrl: standIn.url, pageSize: 20 } }));
    for (const tradeDate of DAYS) {
      for (const marketCode of ['N', 'Q', 'B'] as const) {
        const { body, sourceUri } = await source.open(day(tradeDate, marketCode));
        expect(inSymbolOrder(await readText(body))).toEqual(inSymbolOrder(await fileOf(tradeDate, marketCode)));
        expect(sourceUri).toContain('regShoDaily');
      }
    }
  });

  it('writes an empty file for a facility without short sales on a published day, and refuses a day not published', async () => {
    const source = openRegShoSource(sourceAccess('finra', { finraApi: { baseUrl: standIn.url } }));
    expect(await readText((await source.open(day('2025-01-08', 'D'))).body)).toBe(`${DAILY_HEADER}\n0\n`);
    const closed = await source.open(day('2025-01-09', 'Q')).catch((e: unknown) => e);
    expect(closed).toBeInstanceOf(SourceNotFoundError);
    expect((closed as Error).message).toMatch(/^No Q short-sale volume for the trade date 2025-01-09 at POST /);
    const published = await source.published!('2025-01-01');
    expect(DAYS.map((d) => published.has('Q', d))).toEqual([true, true, true]);
    expect(published.has('Q', '2025-01-09')).toBe(false);
  });

  it('passes FINRA\'s daily files through unchanged from a directory, and names the file it did not find', async () => {
    const source = openRegShoSource(sourceAccess(`dir:${path.join(fixtures.dir, 'regsho')}`));
    expect(source.describe()).toBe(`dir:${path.join(fixtures.dir, 'regsho')}`);
    expect(await readText((await source.open(day('2025-01-10', 'B'))).body)).toBe(await fileOf('2025-01-10', 'B'));
    const missing = await source.open(day('2025-01-09', 'N')).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(SourceNotFoundError);
    expect(missing).toMatchObject({ key1: 'N', periodEnd: '2025-01-09', where: path.join(fixtures.dir, 'regsho', 'FNYXshvol20250109.txt') });
    await expect(source.open({ ...day('2025-01-10', 'N'), key1: 'X' })).rejects.toThrow('no daily short-sale volume for market code "X"');
  });
});
