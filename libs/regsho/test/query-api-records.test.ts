import { describe, expect, it } from 'vitest';
import { DailyFileReader } from '../src/daily-file.ts';
import { dailyFileLines, regShoDailyRecord } from '../src/query-api-records.ts';

const answer = {
  tradeReportDate: '2025-01-10', securitiesInformationProcessorSymbolIdentifier: 'AAPL', shortParQuantity: 1200.5,
  shortExemptParQuantity: 10, totalParQuantity: 3000.25, marketCode: 'Q', reportingFacilityCode: 'NQTRF',
};

describe('regShoDaily records', () => {
  it('parses FINRA\'s fields, volumes kept as the text of the number', () => {
    expect(regShoDailyRecord.parse(answer)).toEqual({ ...answer, shortParQuantity: '1200.5', shortExemptParQuantity: '10', totalParQuantity: '3000.25' });
  });

  it('refuses an unknown market code and a negative volume with one message each', () => {
    expect(regShoDailyRecord.safeParse({ ...answer, marketCode: 'Z' }).error?.issues.map((i) => i.message)).toEqual(['unknown marketCode "Z": FINRA\'s are N, Q, B, D and O']);
    expect(regShoDailyRecord.safeParse({ ...answer, totalParQuantity: -1 }).success).toBe(false);
  });

  it('writes a facility\'s records as the daily file FINRA publishes, which the file reader accepts', () => {
    const records = [answer, { ...answer, securitiesInformationProcessorSymbolIdentifier: 'MSFT', shortParQuantity: 0, shortExemptParQuantity: 0, totalParQuantity: 7 }]
      .map((r) => regShoDailyRecord.parse(r));
    const lines = [...dailyFileLines(records)];
    expect(lines).toEqual(['Date|Symbol|ShortVolume|ShortExemptVolume|TotalVolume|Market', '20250110|AAPL|1200.5|10|3000.25|Q', '20250110|MSFT|0|0|7|Q', '2']);
    const reader = new DailyFileReader({ tradeDate: '2025-01-10', marketCode: 'Q' });
    const verdicts = lines.map((line, i) => reader.line(line, i + 1)).filter((v) => v !== undefined);
    expect(verdicts.every((v) => v.verdict.ok)).toBe(true);
    expect(reader.end()).toEqual({ records: 2 });
    expect([...dailyFileLines([])]).toEqual(['Date|Symbol|ShortVolume|ShortExemptVolume|TotalVolume|Market', '0']);
  });
});
