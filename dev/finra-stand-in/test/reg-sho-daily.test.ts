import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dailyFileLines, regShoDailyRecord } from '@spine/regsho';
import { startFinraStandIn, type FinraStandIn } from '../src/server.ts';
import { silentLogger, tempFiles } from '../../../libs/finra-source/test/support.ts';

const DATA = '/data/group/otcMarket/name/regShoDaily';
const PARTITIONS = '/partitions/group/otcMarket/name/regShoDaily';
const HEADER = 'Date|Symbol|ShortVolume|ShortExemptVolume|TotalVolume|Market';
const NASDAQ_0110 = [HEADER, '20250110|AAPL|1200.5|10|3000.25|Q', '20250110|MSFT|0|0|7|Q', '20250110|ZZZ|5|1|9|Q', '3'];

let fixtures: Awaited<ReturnType<typeof tempFiles>>;
let standIn: FinraStandIn;

const byDay = (day: string, extra: object = {}) => ({ compareFilters: [{ compareType: 'EQUAL', fieldName: 'tradeReportDate', fieldValue: day }], ...extra });
async function post(body: unknown, path = DATA) {
  const response = await fetch(`${standIn.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, total: response.headers.get('record-total'), json: text ? JSON.parse(text) as unknown : undefined };
}

beforeAll(async () => {
  fixtures = await tempFiles({
    'regsho/FNSQshvol20250110.txt': `${NASDAQ_0110.join('\n')}\n`,
    'regsho/FNYXshvol20250110.txt': `${HEADER}\r\n20250110|AAPL|100|0|400|N\r\n1\r\n`,
    'regsho/FNSQshvol20250108.txt': `${HEADER}\n0\n`,
    'regsho/FNSQshvol20250107.txt': `${HEADER}\n20250107|AAPL|1|0|2|Q\n2\n`,
    'regsho/CNMSshvol20250110.txt': `${HEADER}\n20250110|AAPL|1300.5|10|3400.25|B,Q,N\n1\n`,
  });
  standIn = await startFinraStandIn({ fixturesDir: fixtures.dir, logger: silentLogger });
});
afterAll(async () => {
  await standIn?.close();
  await fixtures?.remove();
});

describe('FINRA stand-in: regShoDaily (the Reg SHO daily short-sale volume)', () => {
  it('answers a trade date\'s records of every facility, with fractional volumes, paged by Record-Total', async () => {
    const all = await post(byDay('2025-01-10'));
    expect(all.status).toBe(200);
    expect(all.total).toBe('4');
    expect(all.json).toContainEqual({ tradeReportDate: '2025-01-10', securitiesInformationProcessorSymbolIdentifier: 'AAPL', shortParQuantity: 1200.5,
      shortExemptParQuantity: 10, totalParQuantity: 3000.25, marketCode: 'Q', reportingFacilityCode: 'NQTRF' });
    const page = await post(byDay('2025-01-10', { limit: 2, offset: 2 }));
    expect([page.total, (page.json as unknown[]).length]).toEqual(['4', 2]);
  });

  it('narrows by marketCode, and a facility\'s answer written back is FINRA\'s file byte for byte', async () => {
    const nasdaq = await post({ compareFilters: [...byDay('2025-01-10').compareFilters, { compareType: 'EQUAL', fieldName: 'marketCode', fieldValue: 'Q' }] });
    const records = (nasdaq.json as unknown[]).map((r) => regShoDailyRecord.parse(r));
    expect([...dailyFileLines(records)]).toEqual(NASDAQ_0110);
  });

  it('answers an empty day with [] and a day without files with [], refuses a query naming no day', async () => {
    expect((await post(byDay('2025-01-08'))).json).toEqual([]);
    expect((await post(byDay('2025-01-09'))).json).toEqual([]);
    const unbounded = await post({ compareFilters: [{ compareType: 'EQUAL', fieldName: 'marketCode', fieldValue: 'Q' }] });
    expect(unbounded.status).toBe(400);
    expect(await post({ ...byDay('2025-01-10'), fields: ['weekStartDate'] })).toMatchObject({ status: 400, json: { message: 'unknown field "weekStartDate" for this dataset' } });
  });

  it('lists the trade dates it holds as partitions, newest first, and fails loudly on a broken fixture', async () => {
    const response = await fetch(`${standIn.url}${PARTITIONS}`);
    expect(await response.json()).toEqual({ datasetGroup: 'otcMarket', datasetName: 'regShoDaily', partitionFields: ['tradeReportDate'],
      availablePartitions: [{ partitions: ['2025-01-10'] }, { partitions: ['2025-01-08'] }, { partitions: ['2025-01-07'] }] });
    const broken = await post(byDay('2025-01-07'));
    expect(broken.status).toBe(500);
    expect(broken.json).toMatchObject({ message: expect.stringMatching(/the trailer counts 2 records but the file holds 1/) });
  });
});
