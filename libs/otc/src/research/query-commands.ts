import type { QueryCommand } from '@spine/platform/research/query-command';

/** The columns a terminal table shows of a symbol's or a week's rows and of a venue's (the JSON and CSV have every column). */
const SYMBOL_WEEK_COLUMNS = ['week_ending', 'tier', 'venue_type', 'symbol', 'total_volume', 'total_trades', 'venue_count', 'hhi', 'top_mpid',
  'top_venue_share_pct', 'ats_share_pct', 'rolling_mean_volume', 'trend_pct', 'trend_direction', 'quality_status', 'revision'];
const VENUE_WEEK_COLUMNS = ['week_ending', 'tier', 'venue_type', 'volume_rank', 'mpid', 'market_participant_name', 'total_volume', 'total_trades',
  'symbol_count', 'market_share_pct', 'revision'];

const TIER = { flags: '--tier <tier>', description: 'only this tier' };
const VENUE_TYPE = { flags: '--venue-type <type>', description: 'ATS, NON_ATS or all', default: 'all' };
const RANGE = [{ flags: '--from <friday>', description: 'first week_ending' }, { flags: '--to <friday>', description: 'last week_ending' }];
const HHI_VERSION = {
  flags: '--hhi-version <major>',
  description: "read this major version of otc_symbol_concentration's HHI (1: 0..1, 2: 0..10,000), current or not; default: the current one",
};
const AS_OF = ['published', 'captured'] as const;

/** OTC's questions as `spine query` commands: the first dataset's, so `spine query symbol AAPL`. */
export const OTC_QUERY_COMMANDS: readonly QueryCommand[] = [
  {
    name: 'symbol', description: "a symbol's weekly history", arguments: [{ name: 'symbol', description: 'issue symbol, e.g. AAPL' }],
    operationId: 'symbolHistory', columns: SYMBOL_WEEK_COLUMNS, options: [TIER, VENUE_TYPE, ...RANGE, HHI_VERSION], asOf: AS_OF,
  },
  {
    name: 'week', description: "a week's research snapshot for a tier, or with --venues its venue table",
    arguments: [{ name: 'week_ending', description: 'the Friday of the week' }],
    operationId: 'weekSnapshot', columns: SYMBOL_WEEK_COLUMNS,
    options: [{ flags: '--tier <tier>', description: 'the tier', required: true }, VENUE_TYPE, HHI_VERSION], asOf: AS_OF,
    variant: { flag: '--venues', description: 'the venue table instead of the snapshot', operationId: 'weekVenues', columns: VENUE_WEEK_COLUMNS },
  },
  {
    name: 'venue', description: "a venue's weekly history", arguments: [{ name: 'mpid', description: 'MPID, or CRD:<number> / DE_MINIMIS for non-ATS firms' }],
    operationId: 'venueHistory', columns: VENUE_WEEK_COLUMNS, options: [TIER, VENUE_TYPE, ...RANGE], asOf: AS_OF,
  },
  {
    name: 'diff', description: 'lines added, removed and changed between two captures of a partition',
    arguments: [{ name: 'capture_a', description: 'the earlier capture_id', pathParam: 'capture_id' }, { name: 'capture_b', description: 'the later capture_id', pathParam: 'other_capture_id' }],
    operationId: 'revisionDiff', columns: ['change', 'symbol', 'mpid', 'before_volume', 'after_volume', 'before_trades', 'after_trades'],
  },
];
