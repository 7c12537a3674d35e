import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DailyFileReader, FACILITIES, MARKET_CODES, dailyFileName, parseMarketCode, type MarketCode } from '@spine/regsho';
import { allowedValues, fieldsOf, type DataQuery } from './data-query.ts';
import { finraErrorBody, HttpProblem } from './finra-error.ts';
import type { StandInRow } from './week-rows.ts';

/**
 * FINRA's Reg SHO daily short-sale volume in the Query API: dataset regShoDaily of group otcMarket, partitioned by
 * tradeReportDate (DOMAIN.md, "Reg SHO daily short-sale volume"). The stand-in serves it from FINRA's daily files as
 * published, one per facility and trade date.
 */
export const REG_SHO_DATASET = 'regShoDaily';

/** GET Metadata of otcMarket/regShoDaily, as public clients report it. */
export const REG_SHO_FIELDS = fieldsOf([
  'tradeReportDate', 'securitiesInformationProcessorSymbolIdentifier', 'shortParQuantity', 'shortExemptParQuantity', 'totalParQuantity',
  'marketCode', 'reportingFacilityCode',
]);

/** The fixtures: `<fixturesDir>/regsho/<facility prefix>shvol<YYYYMMDD>.txt`, e.g. `regsho/FNSQshvol20250110.txt`. */
export const REG_SHO_FIXTURE_DIR = 'regsho';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The rows a query asks for, from its tradeReportDate filter (EQUAL or domain) and an optional marketCode filter. As
 * for the weekly data, a query must name its days: the stand-in reads files, it does not scan a whole dataset.
 */
export async function regShoRows(fixturesDir: string, query: DataQuery): Promise<StandInRow[]> {
  const days = allowedValues(query, 'tradeReportDate', REG_SHO_FIELDS);
  if (days === undefined) throw new HttpProblem(400, 'the stand-in needs a tradeReportDate filter (EQUAL or domainFilters); it does not scan whole datasets');
  const asked = allowedValues(query, 'marketCode', REG_SHO_FIELDS);
  const markets = asked === undefined ? MARKET_CODES : asked.map(parseMarketCode).filter((m): m is MarketCode => m !== undefined);
  const rows: StandInRow[] = [];
  for (const day of days.filter((d) => ISO_DATE.test(d))) {
    for (const marketCode of markets) rows.push(...(await fileRows(fixturesDir, day, marketCode)));
  }
  return rows;
}

/** One facility's file of one day as regShoDaily records; no file, no records (a day FINRA has nothing for). */
async function fileRows(fixturesDir: string, tradeDate: string, marketCode: MarketCode): Promise<StandInRow[]> {
  const file = path.join(fixturesDir, REG_SHO_FIXTURE_DIR, dailyFileName(marketCode, tradeDate));
  const reader = new DailyFileReader({ tradeDate, marketCode });
  const rows: StandInRow[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  try {
    let lineNumber = 0;
    for await (const line of lines) {
      const out = reader.line(line, ++lineNumber);
      if (!out) continue;
      // A fixture is FINRA's published data: a line the loader would reject is a broken fixture, not an answer.
      if (!out.verdict.ok) throw new Error(`${file} line ${out.lineNumber}: ${out.verdict.code} ${out.verdict.detail}`);
      const r = out.verdict.record;
      rows.push({
        tradeReportDate: tradeDate, securitiesInformationProcessorSymbolIdentifier: r.symbol, shortParQuantity: Number(r.shortVolume),
        shortExemptParQuantity: Number(r.shortExemptVolume), totalParQuantity: Number(r.totalVolume), marketCode,
        reportingFacilityCode: FACILITIES[marketCode].reportingFacilityCode,
      });
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  reader.end();
  return rows;
}

/** GET Partitions of regShoDaily: one partition per trade date any facility's file is there for, newest first. */
export async function listRegShoPartitions(fixturesDir: string): Promise<object> {
  const names = await readdir(path.join(fixturesDir, REG_SHO_FIXTURE_DIR)).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const prefixes = new Set(MARKET_CODES.map((c) => FACILITIES[c].filePrefix));
  const days = new Set<string>();
  for (const name of names) {
    const m = /^([A-Z]{4})shvol(\d{4})(\d{2})(\d{2})\.txt$/.exec(name);
    if (m && prefixes.has(m[1]!)) days.add(`${m[2]}-${m[3]}-${m[4]}`);
  }
  if (days.size === 0) {
    return { ...finraErrorBody(200, 'No partitions found for specified dataset.'), partitionAvailabilityRequest: { action: 'GET', group: 'otcMarket', name: REG_SHO_DATASET, getDetails: false } };
  }
  return {
    datasetGroup: 'otcMarket', datasetName: REG_SHO_DATASET, partitionFields: ['tradeReportDate'],
    availablePartitions: [...days].sort().reverse().map((day) => ({ partitions: [day] })),
  };
}
