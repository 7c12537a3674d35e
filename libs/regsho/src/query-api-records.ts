import * as z from 'zod';
import { DAILY_HEADER } from './daily-file.ts';
import { parseMarketCode, type MarketCode } from './facilities.ts';

/** The Query API's dataset of the daily short-sale volume (group otcMarket; `regShoDailyMock` in OTCMarket is its mock). */
export const QUERY_API_DATASET = { group: 'otcMarket', name: 'regShoDaily', partitionField: 'tradeReportDate' } as const;

// FINRA documents the volumes as numbers; 2026's answers carry fractions, so a volume is kept as the text JSON gave
// it (String of a double prints the shortest text that reads back the same number) and never summed in JavaScript.
const volume = z.number().nonnegative().transform((n) => String(n));

/** One record of regShoDaily as FINRA answers it; fields this product does not read are let through unchecked. */
export const regShoDailyRecord = z.object({
  tradeReportDate: z.iso.date(),
  securitiesInformationProcessorSymbolIdentifier: z.string().min(1),
  shortParQuantity: volume,
  shortExemptParQuantity: volume,
  totalParQuantity: volume,
  marketCode: z.string().transform((value, ctx): MarketCode => {
    const code = parseMarketCode(value);
    if (!code) ctx.addIssue({ code: 'custom', message: `unknown marketCode "${value}": FINRA's are N, Q, B, D and O` });
    return code ?? z.NEVER;
  }),
  reportingFacilityCode: z.string().optional(),
});
export type RegShoDailyRecord = z.output<typeof regShoDailyRecord>;

/** One record as a line of FINRA's daily file (`Date|Symbol|ShortVolume|ShortExemptVolume|TotalVolume|Market`). */
export function dailyFileLine(r: RegShoDailyRecord): string {
  return [r.tradeReportDate.replaceAll('-', ''), r.securitiesInformationProcessorSymbolIdentifier, r.shortParQuantity,
    r.shortExemptParQuantity, r.totalParQuantity, r.marketCode].join('|');
}

/**
 * One facility's records of one trade date written as FINRA's daily file of that facility (header, a line per record
 * in the order given, trailer with the count), so that what the Query API answered and a downloaded file are stored
 * and read the same way.
 */
export function* dailyFileLines(records: Iterable<RegShoDailyRecord>): Generator<string> {
  yield DAILY_HEADER;
  let count = 0;
  for (const r of records) {
    count++;
    yield dailyFileLine(r);
  }
  yield String(count);
}
