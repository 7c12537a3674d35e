import { describe, expect, it } from 'vitest';
import { DAILY_HEADER, DailyFileError, DailyFileReader, dailyFileName, type LineVerdict } from '../src/daily-file.ts';

/** Feeds a whole file to a reader: the verdicts by line number, and what end() said. */
function read(text: string, tradeDate = '2025-01-10', marketCode: 'Q' | 'N' = 'Q') {
  const reader = new DailyFileReader({ tradeDate, marketCode });
  const verdicts = new Map<number, LineVerdict>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const out = reader.line(line, i + 1);
    if (out) verdicts.set(out.lineNumber, out.verdict);
  });
  return { verdicts, end: () => reader.end() };
}

const file = (...rows: string[]) => [DAILY_HEADER, ...rows].join('\n') + '\n';

describe('DailyFileReader', () => {
  it('accepts FINRA\'s layout, fractional volumes kept exactly, and checks the trailer', () => {
    const { verdicts, end } = read(file('20250110|AAPL|1200.5|10|3000.25|Q', '20250110|msft|0|0|0|Q', '2'));
    expect([...verdicts.values()]).toEqual([
      { ok: true, record: { symbol: 'AAPL', shortVolume: '1200.5', shortExemptVolume: '10', totalVolume: '3000.25' } },
      { ok: true, record: { symbol: 'MSFT', shortVolume: '0', shortExemptVolume: '0', totalVolume: '0' } },
    ]);
    expect(end()).toEqual({ records: 2 });
  });

  it('takes a day without short sales: a header and a trailer of 0', () => {
    expect(read(file('0')).end()).toEqual({ records: 0 });
    expect(read(`${DAILY_HEADER}\r\n0\r\n`).end()).toEqual({ records: 0 });
  });

  it('fails the file when the trailer disagrees with its lines or is missing', () => {
    expect(() => read(file('20250110|AAPL|1|0|2|Q', '2')).end()).toThrow(/line 3: the trailer counts 2 records but the file holds 1/);
    expect(() => read(file('20250110|AAPL|1|0|2|Q')).end()).toThrow(expect.objectContaining({ problem: 'trailer' }));
    expect(() => read(DAILY_HEADER).end()).toThrow(/the trailer line with the record count is missing/);
    expect(() => read('').end()).toThrow(DailyFileError);
  });

  it('counts rejected lines as records: FINRA produced them', () => {
    const { verdicts, end } = read(file('20250110|AAPL|5|0|2|Q', '20250109|MSFT|1|0|2|Q', '20250110|AAPL|1|0|2|Q', '20250110|BAD SYM|1|0|2|Q',
      '20250110|IBM|-1|0|2|Q', '20250110|IBM|2|3|4|Q', '20250110|IBM|1|0|2', '5'));
    expect([...verdicts.values()].map((v) => (v.ok ? 'ok' : v.code))).toEqual(['SHORT_EXCEEDS_TOTAL', 'DATE_MISMATCH', 'ok', 'INVALID_SYMBOL',
      'INVALID_VOLUME', 'EXEMPT_EXCEEDS_SHORT', 'PARSE_ERROR']);
    expect(() => end()).toThrow(/counts 5 records but the file holds 7/);
  });

  it('rejects a symbol repeated in one file, compares decimals exactly', () => {
    const { verdicts } = read(file('20250110|AAPL|1|0|2|Q', '20250110|AAPL|1|0|2|Q', '20250110|X|10.5|0|10.50|Q', '20250110|Y|9.99|0|10|Q', '4'));
    expect([...verdicts.values()].map((v) => (v.ok ? 'ok' : v.code))).toEqual(['ok', 'DUPLICATE_SYMBOL', 'ok', 'ok']);
  });

  it('refuses a consolidated (CNMS) file, another facility\'s file, and another layout with one line', () => {
    expect(() => read(file('20250110|AAPL|1|0|2|B,Q,N', '1'))).toThrow(/line 2: Market "B,Q,N" sums several facilities .* load the facility files instead \(FNYX, FNSQ, FNQC, FNRA, FORF\)/);
    expect(() => read(file('20250110|AAPL|1|0|2|N', '1'))).toThrow(/Market "N" is not Q \(Nasdaq TRF Carteret\)/);
    expect(() => read('Date|Symbol|ShortVolume|TotalVolume|Market\n')).toThrow(/before 2011-02-28/);
    expect(() => read('tierDescription|issueSymbolIdentifier\n')).toThrow(expect.objectContaining({ problem: 'header' }));
  });

  it('names files as FINRA does', () => {
    expect(dailyFileName('Q', '2025-01-10')).toBe('FNSQshvol20250110.txt');
    expect(dailyFileName('B', '2018-09-10')).toBe('FNQCshvol20180910.txt');
  });
});
