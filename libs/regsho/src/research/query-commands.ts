import type { QueryCommand } from '@spine/platform/research/query-command';

/** Reg SHO's questions as `spine query regsho` commands. */
export const REGSHO_QUERY_COMMANDS: readonly QueryCommand[] = [
  {
    name: 'symbol', description: "a symbol's daily short-sale volume, short ratio and 20-trading-day mean",
    arguments: [{ name: 'symbol', description: 'issue symbol, e.g. AAPL' }], operationId: 'regshoSymbolDaily',
    columns: ['trade_date', 'symbol', 'short_volume', 'short_exempt_volume', 'total_volume', 'short_ratio', 'avg_short_ratio_20d', 'days_in_window', 'market_codes'],
    options: [
      { flags: '--from <date>', description: 'first trade date (default: the 60th newest loaded)' },
      { flags: '--to <date>', description: 'last trade date (default: the newest loaded)' },
    ],
    asOf: ['published'],
  },
  {
    name: 'week', description: "a week's short-sale volume per symbol beside OTC's ATS and non-ATS volume",
    arguments: [{ name: 'week_ending', description: 'the Friday of the week' }], operationId: 'regshoWeekResearch',
    columns: ['week_ending', 'symbol', 'trading_days', 'short_volume', 'total_volume', 'short_ratio', 'ats_volume', 'non_ats_volume', 'ats_share_pct'],
    options: [{ flags: '--symbol <symbol>', description: 'only this symbol' }],
  },
];
