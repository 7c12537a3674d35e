import { InputError } from '@spine/platform/errors';
import { NO_SECOND_KEY, type PreparedFile, type RunFileRequest } from '@spine/platform/dataset/dataset-definition';
import { localFileSource } from '@spine/platform/sources/local-file';
import { parseIsoDate } from '@spine/platform/time/week-ending';
import { DAILY_HEADER, isDailyHeader } from './daily-file.ts';
import { FACILITIES, MARKET_CODES, parseMarketCode } from './facilities.ts';
import { firstTradeDate } from './domain.ts';

/** Why a string is not a trade date this dataset can hold, or undefined (closures are the calendar's: fetch knows them). */
export function tradeDateProblem(value: string, marketCode: keyof typeof FACILITIES): string | undefined {
  const date = parseIsoDate(value);
  if (!date) return `"${value}" is not a date in YYYY-MM-DD form`;
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return `${value} is a ${weekday === 0 ? 'Sunday' : 'Saturday'}: Reg SHO files exist for trading days only`;
  const first = firstTradeDate(marketCode);
  if (value < first) return `${value} is before ${first}, the first trade date FINRA published for ${marketCode} (${FACILITIES[marketCode].name})`;
  return undefined;
}

/**
 * Checks a request to run one trade date of one facility from a local daily file (`spine run-week`): the market code
 * in any case, no second key (or the platform's NO_SECOND_KEY), a weekday on or after the facility's first trade date,
 * a readable regular file whose first line is FINRA's daily header. Every problem is an InputError (exit code 2).
 */
export async function prepareDailyFile(req: Pick<RunFileRequest, 'key1' | 'key2' | 'periodEnd' | 'file'>): Promise<PreparedFile> {
  const marketCode = parseMarketCode(req.key1);
  if (!marketCode) throw new InputError(`unknown facility "${req.key1}": use one of ${MARKET_CODES.join(', ')}`);
  if (req.key2 !== undefined && req.key2 !== NO_SECOND_KEY) {
    throw new InputError(`Reg SHO partitions have one key, the facility: "${req.key2}" names a second one`);
  }
  const dateProblem = tradeDateProblem(req.periodEnd, marketCode);
  if (dateProblem) throw new InputError(dateProblem);
  const source = await localFileSource(req.file);
  if (!isDailyHeader(source.firstLine)) {
    throw new InputError(`${req.file} is not a FINRA Reg SHO daily short-sale volume file: its first line is "${source.firstLine.slice(0, 80)}", not ${DAILY_HEADER}`);
  }
  return { key1: marketCode, key2: NO_SECOND_KEY, source };
}
