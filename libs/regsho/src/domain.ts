import { FACILITIES, type MarketCode } from './facilities.ts';

/** The dataset's name in the core tables (core_captures.domain, core_calc_dependencies.domain). */
export const DOMAIN = 'regsho';
/** The pipeline its executions are recorded under. */
export const PIPELINE = 'regsho_daily';
/** The exchange calendar whose trading days are its periods (core_market_calendars). */
export const CALENDAR = 'XNYS';
/** The first trade date of FINRA's facility files (its CNMS files start the same day). */
export const FIRST_TRADE_DATE = '2018-08-01';

/** The first trade date FINRA published for a facility: the Chicago TRF (B) started later than the others. */
export function firstTradeDate(marketCode: MarketCode): string {
  return FACILITIES[marketCode].firstTradeDate ?? FIRST_TRADE_DATE;
}
