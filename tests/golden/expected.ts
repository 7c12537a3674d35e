/**
 * Expected results of the golden fixture set `fixtures/golden/<TIER>/<week_ending>.psv` (6 weeks x 3 tiers = 18 files),
 * written out by hand. Nothing here is computed: every number is a literal, worked out from the fixture lines with
 * the rules in fixtures/README.md ("Rules behind the expected numbers").
 *
 * Value conventions (what node-postgres returns with default type parsers):
 *   - BIGINT columns (volumes, trades, min/max) are strings: '3000000000'.
 *   - NUMERIC columns are strings at the declared scale, as PostgreSQL prints them: avg_trade_size numeric(20,2) '153.85',
 *     market_share_pct / top_venue_share_pct numeric(9,4) '33.3333', hhi numeric(12,6) '0.500000',
 *     liquidity_score / mean_volume / mean_trades numeric(24,2), trend_pct numeric(14,2) '-6.29'.
 *   - INTEGER columns (venue_count, symbol_count, volume_rank, weeks_in_window) are numbers, booleans are booleans,
 *     SQL NULL is null.
 *   - week_ending is 'YYYY-MM-DD' (select it as `week_ending::text`, node-postgres turns a DATE into a JS Date).
 *   - Row arrays are sorted by (week_ending, tier, symbol) or (week_ending, tier, mpid).
 *   - The golden run relaxes the reject-share quality gate to GOLDEN_MAX_REJECT_SHARE (0.5); no file comes close
 *     (at most 1 rejected line out of 5-7 data lines), so no week is gated.
 *
 * Edge cases -> file:line (line 1 is the header; line numbers are physical lines):
 *   NMS_TIER_1/2025-10-31.psv:6  tierDescription `T1` (FINRA API alias)            -> accepted
 *   NMS_TIER_1/2025-10-31.psv:7  lastUpdateDate 2025-10-27 < Friday 2025-10-31    -> WEEK_MISMATCH
 *   NMS_TIER_1/2025-11-07.psv:3  symbol ` aapl `, MPID ` jpmx ` (padded, lower)  -> accepted as AAPL / JPMX
 *   NMS_TIER_1/2025-11-14.psv:4  tierDescription `NMS Tier 2` in a Tier 1 file    -> INVALID_TIER
 *   NMS_TIER_1/2025-11-14.psv:7  MSFT 1201000 / 8000 = 150.125                    -> avg_trade_size '150.13' (half-up)
 *   NMS_TIER_1/2025-11-21.psv:8  AAPL|UBSA again (other numbers)                  -> DUPLICATE_KEY, line 2 is kept
 *   NMS_TIER_1/2025-11-28.psv:7  7 fields (trade count missing)                   -> PARSE_ERROR
 *   NMS_TIER_1/2025-12-05.psv:5  empty lastUpdateDate                             -> accepted
 *   NMS_TIER_1, every week       SPY|UBSA share counts 2.4e9..3.4e9 (> 2^31); BRK.A (symbol with a dot) in 5 weeks
 *   NMS_TIER_2/2025-10-31.psv:6  MPID `AB`                                        -> INVALID_MPID
 *   NMS_TIER_2/2025-10-31.psv:7  MVIS 0 shares, 0 trades                          -> accepted (zero-volume symbol)
 *   NMS_TIER_2/2025-11-07.psv:4  tierDescription `nms tier 2` (lower case)        -> accepted
 *   NMS_TIER_2/2025-11-07.psv:4-5 SNDL JNST = NITE = 1000000                       -> top_mpid JNST (alphabetical), rank tie 3/3
 *   NMS_TIER_2/2025-11-07.psv:6  MPID `ab!1`                                      -> INVALID_MPID
 *   NMS_TIER_2/2025-11-14.psv:4  shares -250000                                   -> NEGATIVE_VOLUME
 *   NMS_TIER_2/2025-11-14.psv:5  MVIS 0 shares, 0 trades                          -> accepted (zero-volume symbol)
 *   NMS_TIER_2/2025-11-14.psv:6  same SNDL|JNST key as rejected line 4            -> accepted (dup check only among valid rows)
 *   NMS_TIER_2/2025-11-14        3 MPIDs after 4 (-25%)                           -> venue_count_drop WARN
 *   NMS_TIER_2/2025-11-21.psv:5  shares `1,200,000`                               -> PARSE_ERROR
 *   NMS_TIER_2/2025-12-05.psv:4  CLOV|NITE 0 shares, 0 trades                     -> accepted, counts as a venue
 *   NMS_TIER_2/2025-12-05.psv:7  MVIS 505300 / 800 = 631.625                      -> avg_trade_size '631.63' (half-up)
 *   NMS_TIER_2 SNDL 11-28        rolling trend exactly -5.00                      -> trend_direction FLAT (bound is exclusive)
 *   OTC/2025-10-31.psv:4-5       issue name with commas, `$`, parentheses (ACMEF, every week)
 *   OTC/2025-10-31.psv:6         GRLT 0 shares, 0 trades                          -> accepted (zero-volume symbol)
 *   OTC/2025-10-31.psv:7         trades -3                                        -> NEGATIVE_TRADES
 *   OTC/2025-11-07.psv:5         ACMEF under another issue name                   -> summary keeps line 4's name
 *   OTC/2025-11-07.psv:6         symbol `#ACME`                                   -> INVALID_SYMBOL
 *   OTC/2025-11-14.psv:6         lastUpdateDate `2025-13-15`                      -> PARSE_ERROR
 *   OTC/2025-11-14               ARCA = OTCX = 425000                             -> volume_rank 2 and 2
 *   OTC/2025-11-21.psv:7         shares 99999999999999999999 (beyond int64)       -> PARSE_ERROR
 *   OTC/2025-11-28.psv:6         tierDescription `OTCE` (FINRA API alias)         -> accepted
 *   OTC/2025-11-28, 2025-12-05   tier volume 2630000 -> 1100000 -> 2640000        -> tier_volume_swing WARN twice
 *   OTC/2025-12-05.psv:7         shares -40000 and trades -16                     -> NEGATIVE_VOLUME (checked first)
 *   legacy/NMS_TIER_1/2025-12-05.psv:5  WeekEnding 2025-11-28                     -> WEEK_MISMATCH
 *   bad/not-finra.csv            `date,open,high,low,close,volume` CSV            -> rejected as a file of another format
 * Universe: NMS_TIER_1 AAPL, SPY (all 6 weeks), BRK.A (not 11-14), MSFT (not 11-07, 11-28); MPIDs UBSA, JPMX, INCR.
 *           NMS_TIER_2 CLOV, SNDL (all 6 weeks), MVIS (not 11-07, 11-21); MPIDs UBSA, EBXL, JNST, NITE.
 *           OTC NSRGY, ACMEF (all 6 weeks), GRLT (not 11-07, 11-28); MPIDs ARCA, OTCN, OTCX.
 */

export type GoldenTier = 'NMS_TIER_1' | 'NMS_TIER_2' | 'OTC';
export type RejectReasonCode =
  | 'PARSE_ERROR'
  | 'INVALID_TIER'
  | 'INVALID_SYMBOL'
  | 'INVALID_MPID'
  | 'NEGATIVE_VOLUME'
  | 'NEGATIVE_TRADES'
  | 'DUPLICATE_KEY'
  | 'WEEK_MISMATCH';
export type QualityStatus = 'PASS' | 'WARN' | 'FAIL';
export type QualityCheckName =
  | 'market_share_sum'
  | 'no_negative_volume'
  | 'line_accounting'
  | 'venue_count_drop'
  | 'tier_volume_swing';
export type TrendDirection = 'UP' | 'DOWN' | 'FLAT';

/** Ingest of one file: data lines (non-empty lines after the header) = accepted (otc_raw rows) + rejects. */
export interface ExpectedIngest {
  week_ending: string;
  tier: GoldenTier;
  /** Path relative to the repository root. */
  file: string;
  data_lines: number;
  accepted: number;
  /** Rejected physical line numbers by reason code (codes without rejects are absent). */
  rejects: Partial<Record<RejectReasonCode, number[]>>;
}

export interface ExpectedSymbolSummaryRow {
  week_ending: string;
  tier: GoldenTier;
  symbol: string;
  issue_name: string;
  total_volume: string;
  total_trades: string;
  venue_count: number;
  avg_trade_size: string;
}

export interface ExpectedVenueShareRow {
  week_ending: string;
  tier: GoldenTier;
  mpid: string;
  market_participant_name: string;
  total_volume: string;
  total_trades: string;
  symbol_count: number;
  market_share_pct: string;
  volume_rank: number;
}

export interface ExpectedConcentrationRow {
  week_ending: string;
  tier: GoldenTier;
  symbol: string;
  venue_count: number;
  hhi: string | null;
  top_mpid: string;
  top_venue_share_pct: string | null;
}

export interface ExpectedLiquidityRow {
  week_ending: string;
  tier: GoldenTier;
  symbol: string;
  avg_trade_size: string;
  venue_count: number;
  liquidity_score: string;
}

export interface ExpectedRollingRow {
  week_ending: string;
  tier: GoldenTier;
  symbol: string;
  weeks_in_window: number;
  is_complete: boolean;
  mean_volume: string;
  min_volume: string;
  max_volume: string;
  mean_trades: string;
  min_trades: string;
  max_trades: string;
  trend_pct: string | null;
  trend_direction: TrendDirection | null;
}

export interface ExpectedQualityRow {
  week_ending: string;
  tier: GoldenTier;
  check_name: QualityCheckName;
  status: QualityStatus;
}

export interface ExpectedResearchSnapshotRow {
  week_ending: string;
  tier: GoldenTier;
  symbol: string;
  issue_name: string;
  total_volume: string;
  total_trades: string;
  venue_count: number;
  avg_trade_size: string;
  top_mpid: string;
  top_venue_share_pct: string | null;
  hhi: string | null;
  liquidity_score: string;
  rolling_mean_volume: string | null;
  rolling_weeks_in_window: number | null;
  rolling_is_complete: boolean | null;
  trend_pct: string | null;
  trend_direction: TrendDirection | null;
  quality_status: QualityStatus;
}

export interface GoldenExpected {
  weeks: readonly string[];
  tiers: readonly GoldenTier[];
  maxRejectShare: number;
  ingest: readonly ExpectedIngest[];
  otc_symbol_summary: readonly ExpectedSymbolSummaryRow[];
  otc_venue_share: readonly ExpectedVenueShareRow[];
  otc_symbol_concentration: readonly ExpectedConcentrationRow[];
  otc_liquidity_score: readonly ExpectedLiquidityRow[];
  /** Every row of the weeks in rollingWeeks (and only those weeks). */
  rollingWeeks: readonly string[];
  otc_symbol_rolling_6w: readonly ExpectedRollingRow[];
  qualityCheckNames: readonly QualityCheckName[];
  /** core_quality rows expected per week x tier: one per check name, 18 x 5 = 90 in all. */
  qualityRowCount: number;
  /** The only core_quality rows whose status is not PASS; every other (week, tier, check) is PASS. */
  core_quality_non_pass: readonly ExpectedQualityRow[];
  /** A selection of otc_research_snapshot rows (not all of them). */
  otc_research_snapshot: readonly ExpectedResearchSnapshotRow[];
  legacy: ExpectedIngest;
  /** A CSV of another format: the import must fail for the whole file (no otc_raw rows, no rejects). */
  notFinraFile: string;
}

export const GOLDEN_WEEKS = ['2025-10-31', '2025-11-07', '2025-11-14', '2025-11-21', '2025-11-28', '2025-12-05'] as const;
export const GOLDEN_TIERS = ['NMS_TIER_1', 'NMS_TIER_2', 'OTC'] as const;
export const GOLDEN_MAX_REJECT_SHARE = 0.5;

export const EXPECTED_INGEST: readonly ExpectedIngest[] = [
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', file: 'fixtures/golden/NMS_TIER_1/2025-10-31.psv', data_lines: 7, accepted: 6, rejects: { WEEK_MISMATCH: [7] } },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', file: 'fixtures/golden/NMS_TIER_2/2025-10-31.psv', data_lines: 6, accepted: 5, rejects: { INVALID_MPID: [6] } },
  { week_ending: '2025-10-31', tier: 'OTC', file: 'fixtures/golden/OTC/2025-10-31.psv', data_lines: 6, accepted: 5, rejects: { NEGATIVE_TRADES: [7] } },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', file: 'fixtures/golden/NMS_TIER_1/2025-11-07.psv', data_lines: 5, accepted: 5, rejects: {} },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', file: 'fixtures/golden/NMS_TIER_2/2025-11-07.psv', data_lines: 5, accepted: 4, rejects: { INVALID_MPID: [6] } },
  { week_ending: '2025-11-07', tier: 'OTC', file: 'fixtures/golden/OTC/2025-11-07.psv', data_lines: 5, accepted: 4, rejects: { INVALID_SYMBOL: [6] } },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', file: 'fixtures/golden/NMS_TIER_1/2025-11-14.psv', data_lines: 6, accepted: 5, rejects: { INVALID_TIER: [4] } },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', file: 'fixtures/golden/NMS_TIER_2/2025-11-14.psv', data_lines: 5, accepted: 4, rejects: { NEGATIVE_VOLUME: [4] } },
  { week_ending: '2025-11-14', tier: 'OTC', file: 'fixtures/golden/OTC/2025-11-14.psv', data_lines: 6, accepted: 5, rejects: { PARSE_ERROR: [6] } },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', file: 'fixtures/golden/NMS_TIER_1/2025-11-21.psv', data_lines: 7, accepted: 6, rejects: { DUPLICATE_KEY: [8] } },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', file: 'fixtures/golden/NMS_TIER_2/2025-11-21.psv', data_lines: 5, accepted: 4, rejects: { PARSE_ERROR: [5] } },
  { week_ending: '2025-11-21', tier: 'OTC', file: 'fixtures/golden/OTC/2025-11-21.psv', data_lines: 6, accepted: 5, rejects: { PARSE_ERROR: [7] } },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', file: 'fixtures/golden/NMS_TIER_1/2025-11-28.psv', data_lines: 6, accepted: 5, rejects: { PARSE_ERROR: [7] } },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', file: 'fixtures/golden/NMS_TIER_2/2025-11-28.psv', data_lines: 5, accepted: 5, rejects: {} },
  { week_ending: '2025-11-28', tier: 'OTC', file: 'fixtures/golden/OTC/2025-11-28.psv', data_lines: 5, accepted: 5, rejects: {} },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', file: 'fixtures/golden/NMS_TIER_1/2025-12-05.psv', data_lines: 7, accepted: 7, rejects: {} },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', file: 'fixtures/golden/NMS_TIER_2/2025-12-05.psv', data_lines: 6, accepted: 6, rejects: {} },
  { week_ending: '2025-12-05', tier: 'OTC', file: 'fixtures/golden/OTC/2025-12-05.psv', data_lines: 6, accepted: 5, rejects: { NEGATIVE_VOLUME: [7] } },
];

const AAPL = 'Apple Inc. Common Stock';
const BRKA = 'Berkshire Hathaway, Inc. Class A Common Stock';
const MSFT = 'Microsoft Corporation Common Stock';
const SPY = 'SPDR S&P 500 ETF Trust';
const CLOV = 'Clover Health Investments, Corp. Class A Common Stock';
const MVIS = 'MicroVision, Inc. Common Stock';
const SNDL = 'SNDL Inc. Common Shares';
const ACMEF = 'Acme Mining, Inc. Common Shares ($0.001 par) (Canada)';
const GRLT = 'Grillit, Inc. Common Stock';
const NSRGY = 'Nestle S.A. Sponsored American Depositary Receipt (Switzerland)';

export const EXPECTED_SYMBOL_SUMMARY: readonly ExpectedSymbolSummaryRow[] = [
  // 2025-10-31
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'AAPL', issue_name: AAPL, total_volume: '2000000', total_trades: '13000', venue_count: 2, avg_trade_size: '153.85' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'BRK.A', issue_name: BRKA, total_volume: '300', total_trades: '240', venue_count: 1, avg_trade_size: '1.25' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'MSFT', issue_name: MSFT, total_volume: '400000', total_trades: '3200', venue_count: 1, avg_trade_size: '125.00' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '3500000000', total_trades: '1900000', venue_count: 2, avg_trade_size: '1842.11' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'CLOV', issue_name: CLOV, total_volume: '3000000', total_trades: '15000', venue_count: 2, avg_trade_size: '200.00' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'MVIS', issue_name: MVIS, total_volume: '0', total_trades: '0', venue_count: 1, avg_trade_size: '0.00' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '2000000', total_trades: '4000', venue_count: 2, avg_trade_size: '500.00' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '2500000', total_trades: '500', venue_count: 2, avg_trade_size: '5000.00' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'GRLT', issue_name: GRLT, total_volume: '0', total_trades: '0', venue_count: 1, avg_trade_size: '0.00' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '400000', total_trades: '4250', venue_count: 2, avg_trade_size: '94.12' },
  // 2025-11-07
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'AAPL', issue_name: AAPL, total_volume: '2100000', total_trades: '13000', venue_count: 2, avg_trade_size: '161.54' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'BRK.A', issue_name: BRKA, total_volume: '280', total_trades: '230', venue_count: 1, avg_trade_size: '1.22' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '3650000000', total_trades: '1980000', venue_count: 2, avg_trade_size: '1843.43' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', symbol: 'CLOV', issue_name: CLOV, total_volume: '3100000', total_trades: '15000', venue_count: 2, avg_trade_size: '206.67' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '2000000', total_trades: '4500', venue_count: 2, avg_trade_size: '444.44' },
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '2400000', total_trades: '510', venue_count: 2, avg_trade_size: '4705.88' },
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '500000', total_trades: '5000', venue_count: 2, avg_trade_size: '100.00' },
  // 2025-11-14
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'AAPL', issue_name: AAPL, total_volume: '2300000', total_trades: '14500', venue_count: 2, avg_trade_size: '158.62' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'MSFT', issue_name: MSFT, total_volume: '1201000', total_trades: '8000', venue_count: 1, avg_trade_size: '150.13' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '3650000000', total_trades: '1970000', venue_count: 2, avg_trade_size: '1852.79' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'CLOV', issue_name: CLOV, total_volume: '3000000', total_trades: '14500', venue_count: 2, avg_trade_size: '206.90' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'MVIS', issue_name: MVIS, total_volume: '0', total_trades: '0', venue_count: 1, avg_trade_size: '0.00' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '2500000', total_trades: '5000', venue_count: 1, avg_trade_size: '500.00' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '1725000', total_trades: '350', venue_count: 2, avg_trade_size: '4928.57' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'GRLT', issue_name: GRLT, total_volume: '25000', total_trades: '8', venue_count: 1, avg_trade_size: '3125.00' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '600000', total_trades: '6000', venue_count: 2, avg_trade_size: '100.00' },
  // 2025-11-21
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'AAPL', issue_name: AAPL, total_volume: '2200000', total_trades: '14000', venue_count: 2, avg_trade_size: '157.14' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'BRK.A', issue_name: BRKA, total_volume: '320', total_trades: '250', venue_count: 1, avg_trade_size: '1.28' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'MSFT', issue_name: MSFT, total_volume: '900000', total_trades: '6000', venue_count: 1, avg_trade_size: '150.00' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '3800000000', total_trades: '2050000', venue_count: 2, avg_trade_size: '1853.66' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'CLOV', issue_name: CLOV, total_volume: '3000000', total_trades: '14200', venue_count: 2, avg_trade_size: '211.27' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '2000000', total_trades: '4000', venue_count: 2, avg_trade_size: '500.00' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '2000000', total_trades: '420', venue_count: 2, avg_trade_size: '4761.90' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'GRLT', issue_name: GRLT, total_volume: '30000', total_trades: '12', venue_count: 1, avg_trade_size: '2500.00' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '600000', total_trades: '6000', venue_count: 2, avg_trade_size: '100.00' },
  // 2025-11-28
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'AAPL', issue_name: AAPL, total_volume: '1200000', total_trades: '8000', venue_count: 2, avg_trade_size: '150.00' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'BRK.A', issue_name: BRKA, total_volume: '150', total_trades: '120', venue_count: 1, avg_trade_size: '1.25' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '2700000000', total_trades: '1450000', venue_count: 2, avg_trade_size: '1862.07' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'CLOV', issue_name: CLOV, total_volume: '2000000', total_trades: '10000', venue_count: 2, avg_trade_size: '200.00' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'MVIS', issue_name: MVIS, total_volume: '500000', total_trades: '2000', venue_count: 1, avg_trade_size: '250.00' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '1800000', total_trades: '3900', venue_count: 2, avg_trade_size: '461.54' },
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '700000', total_trades: '140', venue_count: 2, avg_trade_size: '5000.00' },
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '400000', total_trades: '4000', venue_count: 3, avg_trade_size: '100.00' },
  // 2025-12-05
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'AAPL', issue_name: AAPL, total_volume: '2500000', total_trades: '16000', venue_count: 2, avg_trade_size: '156.25' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'BRK.A', issue_name: BRKA, total_volume: '300', total_trades: '250', venue_count: 2, avg_trade_size: '1.20' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'MSFT', issue_name: MSFT, total_volume: '1000000', total_trades: '6400', venue_count: 1, avg_trade_size: '156.25' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '4000000000', total_trades: '2150000', venue_count: 2, avg_trade_size: '1860.47' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'CLOV', issue_name: CLOV, total_volume: '3000000', total_trades: '15000', venue_count: 3, avg_trade_size: '200.00' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'MVIS', issue_name: MVIS, total_volume: '505300', total_trades: '800', venue_count: 1, avg_trade_size: '631.63' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '2100000', total_trades: '4200', venue_count: 2, avg_trade_size: '500.00' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '2000000', total_trades: '415', venue_count: 2, avg_trade_size: '4819.28' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'GRLT', issue_name: GRLT, total_volume: '40000', total_trades: '16', venue_count: 1, avg_trade_size: '2500.00' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '600000', total_trades: '6000', venue_count: 2, avg_trade_size: '100.00' },
];

const UBS = 'UBS ATS';
const JPMX = 'JPM-X';
const INCR = 'INTELLIGENT CROSS LLC';
const EBXL = 'LEVEL ATS';
const JNST = 'JANE STREET EXECUTION SERVICES LLC';
const NITE = 'VIRTU AMERICAS LLC';
const ARCA = 'ARCA GLOBAL OTC';
const OTCN = 'OTCN OTC LINK NQB IDQS';
const OTCX = 'OTCX OTC LINK ECN ATS';

export const EXPECTED_VENUE_SHARE: readonly ExpectedVenueShareRow[] = [
  // 2025-10-31 (tier volumes: T1 3502400300, T2 5000000, OTC 2900000)
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', mpid: 'INCR', market_participant_name: INCR, total_volume: '500400000', total_trades: '403200', symbol_count: 2, market_share_pct: '14.2873', volume_rank: 2 },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', mpid: 'JPMX', market_participant_name: JPMX, total_volume: '800000', total_trades: '5000', symbol_count: 1, market_share_pct: '0.0228', volume_rank: 3 },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', mpid: 'UBSA', market_participant_name: UBS, total_volume: '3001200300', total_trades: '1508240', symbol_count: 3, market_share_pct: '85.6898', volume_rank: 1 },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', mpid: 'EBXL', market_participant_name: EBXL, total_volume: '1000000', total_trades: '5000', symbol_count: 1, market_share_pct: '20.0000', volume_rank: 3 },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', mpid: 'JNST', market_participant_name: JNST, total_volume: '1500000', total_trades: '3000', symbol_count: 1, market_share_pct: '30.0000', volume_rank: 2 },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', mpid: 'NITE', market_participant_name: NITE, total_volume: '500000', total_trades: '1000', symbol_count: 2, market_share_pct: '10.0000', volume_rank: 4 },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', mpid: 'UBSA', market_participant_name: UBS, total_volume: '2000000', total_trades: '10000', symbol_count: 1, market_share_pct: '40.0000', volume_rank: 1 },
  { week_ending: '2025-10-31', tier: 'OTC', mpid: 'ARCA', market_participant_name: ARCA, total_volume: '300000', total_trades: '3000', symbol_count: 1, market_share_pct: '10.3448', volume_rank: 3 },
  { week_ending: '2025-10-31', tier: 'OTC', mpid: 'OTCN', market_participant_name: OTCN, total_volume: '2000000', total_trades: '400', symbol_count: 2, market_share_pct: '68.9655', volume_rank: 1 },
  { week_ending: '2025-10-31', tier: 'OTC', mpid: 'OTCX', market_participant_name: OTCX, total_volume: '600000', total_trades: '1350', symbol_count: 2, market_share_pct: '20.6897', volume_rank: 2 },
  // 2025-11-07 (T1 3652100280, T2 5100000, OTC 2900000)
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', mpid: 'INCR', market_participant_name: INCR, total_volume: '450000000', total_trades: '380000', symbol_count: 1, market_share_pct: '12.3217', volume_rank: 2 },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', mpid: 'JPMX', market_participant_name: JPMX, total_volume: '1000000', total_trades: '5400', symbol_count: 1, market_share_pct: '0.0274', volume_rank: 3 },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', mpid: 'UBSA', market_participant_name: UBS, total_volume: '3201100280', total_trades: '1607830', symbol_count: 3, market_share_pct: '87.6509', volume_rank: 1 },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', mpid: 'EBXL', market_participant_name: EBXL, total_volume: '1200000', total_trades: '6000', symbol_count: 1, market_share_pct: '23.5294', volume_rank: 2 },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', mpid: 'JNST', market_participant_name: JNST, total_volume: '1000000', total_trades: '2500', symbol_count: 1, market_share_pct: '19.6078', volume_rank: 3 },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', mpid: 'NITE', market_participant_name: NITE, total_volume: '1000000', total_trades: '2000', symbol_count: 1, market_share_pct: '19.6078', volume_rank: 3 },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', mpid: 'UBSA', market_participant_name: UBS, total_volume: '1900000', total_trades: '9000', symbol_count: 1, market_share_pct: '37.2549', volume_rank: 1 },
  { week_ending: '2025-11-07', tier: 'OTC', mpid: 'ARCA', market_participant_name: ARCA, total_volume: '350000', total_trades: '3500', symbol_count: 1, market_share_pct: '12.0690', volume_rank: 3 },
  { week_ending: '2025-11-07', tier: 'OTC', mpid: 'OTCN', market_participant_name: OTCN, total_volume: '1800000', total_trades: '360', symbol_count: 1, market_share_pct: '62.0690', volume_rank: 1 },
  { week_ending: '2025-11-07', tier: 'OTC', mpid: 'OTCX', market_participant_name: OTCX, total_volume: '750000', total_trades: '1650', symbol_count: 2, market_share_pct: '25.8621', volume_rank: 2 },
  // 2025-11-14 (T1 3653501000, T2 5500000, OTC 2350000)
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', mpid: 'INCR', market_participant_name: INCR, total_volume: '551201000', total_trades: '428000', symbol_count: 2, market_share_pct: '15.0869', volume_rank: 2 },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', mpid: 'JPMX', market_participant_name: JPMX, total_volume: '1000000', total_trades: '6000', symbol_count: 1, market_share_pct: '0.0274', volume_rank: 3 },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', mpid: 'UBSA', market_participant_name: UBS, total_volume: '3101300000', total_trades: '1558500', symbol_count: 2, market_share_pct: '84.8857', volume_rank: 1 },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', mpid: 'EBXL', market_participant_name: EBXL, total_volume: '900000', total_trades: '4500', symbol_count: 1, market_share_pct: '16.3636', volume_rank: 3 },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', mpid: 'JNST', market_participant_name: JNST, total_volume: '2500000', total_trades: '5000', symbol_count: 1, market_share_pct: '45.4545', volume_rank: 1 },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', mpid: 'UBSA', market_participant_name: UBS, total_volume: '2100000', total_trades: '10000', symbol_count: 2, market_share_pct: '38.1818', volume_rank: 2 },
  { week_ending: '2025-11-14', tier: 'OTC', mpid: 'ARCA', market_participant_name: ARCA, total_volume: '425000', total_trades: '4008', symbol_count: 2, market_share_pct: '18.0851', volume_rank: 2 },
  { week_ending: '2025-11-14', tier: 'OTC', mpid: 'OTCN', market_participant_name: OTCN, total_volume: '1500000', total_trades: '300', symbol_count: 1, market_share_pct: '63.8298', volume_rank: 1 },
  { week_ending: '2025-11-14', tier: 'OTC', mpid: 'OTCX', market_participant_name: OTCX, total_volume: '425000', total_trades: '2050', symbol_count: 2, market_share_pct: '18.0851', volume_rank: 2 },
  // 2025-11-21 (T1 3803100320, T2 5000000, OTC 2630000)
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', mpid: 'INCR', market_participant_name: INCR, total_volume: '500900000', total_trades: '406000', symbol_count: 2, market_share_pct: '13.1708', volume_rank: 2 },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', mpid: 'JPMX', market_participant_name: JPMX, total_volume: '950320', total_trades: '6050', symbol_count: 2, market_share_pct: '0.0250', volume_rank: 3 },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', mpid: 'UBSA', market_participant_name: UBS, total_volume: '3301250000', total_trades: '1658200', symbol_count: 2, market_share_pct: '86.8042', volume_rank: 1 },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', mpid: 'JNST', market_participant_name: JNST, total_volume: '1600000', total_trades: '3200', symbol_count: 1, market_share_pct: '32.0000', volume_rank: 2 },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', mpid: 'NITE', market_participant_name: NITE, total_volume: '1200000', total_trades: '4000', symbol_count: 2, market_share_pct: '24.0000', volume_rank: 3 },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', mpid: 'UBSA', market_participant_name: UBS, total_volume: '2200000', total_trades: '11000', symbol_count: 1, market_share_pct: '44.0000', volume_rank: 1 },
  { week_ending: '2025-11-21', tier: 'OTC', mpid: 'ARCA', market_participant_name: ARCA, total_volume: '480000', total_trades: '4512', symbol_count: 2, market_share_pct: '18.2510', volume_rank: 3 },
  { week_ending: '2025-11-21', tier: 'OTC', mpid: 'OTCN', market_participant_name: OTCN, total_volume: '1600000', total_trades: '320', symbol_count: 1, market_share_pct: '60.8365', volume_rank: 1 },
  { week_ending: '2025-11-21', tier: 'OTC', mpid: 'OTCX', market_participant_name: OTCX, total_volume: '550000', total_trades: '1600', symbol_count: 2, market_share_pct: '20.9125', volume_rank: 2 },
  // 2025-11-28 (T1 2701200150, T2 4300000, OTC 1100000)
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', mpid: 'INCR', market_participant_name: INCR, total_volume: '300000000', total_trades: '250000', symbol_count: 1, market_share_pct: '11.1062', volume_rank: 2 },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', mpid: 'JPMX', market_participant_name: JPMX, total_volume: '500000', total_trades: '3200', symbol_count: 1, market_share_pct: '0.0185', volume_rank: 3 },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', mpid: 'UBSA', market_participant_name: UBS, total_volume: '2400700150', total_trades: '1204920', symbol_count: 3, market_share_pct: '88.8753', volume_rank: 1 },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', mpid: 'EBXL', market_participant_name: EBXL, total_volume: '500000', total_trades: '2000', symbol_count: 1, market_share_pct: '11.6279', volume_rank: 4 },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', mpid: 'JNST', market_participant_name: JNST, total_volume: '1200000', total_trades: '2400', symbol_count: 1, market_share_pct: '27.9070', volume_rank: 2 },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', mpid: 'NITE', market_participant_name: NITE, total_volume: '1100000', total_trades: '3500', symbol_count: 2, market_share_pct: '25.5814', volume_rank: 3 },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', mpid: 'UBSA', market_participant_name: UBS, total_volume: '1500000', total_trades: '8000', symbol_count: 1, market_share_pct: '34.8837', volume_rank: 1 },
  { week_ending: '2025-11-28', tier: 'OTC', mpid: 'ARCA', market_participant_name: ARCA, total_volume: '200000', total_trades: '2000', symbol_count: 1, market_share_pct: '18.1818', volume_rank: 3 },
  { week_ending: '2025-11-28', tier: 'OTC', mpid: 'OTCN', market_participant_name: OTCN, total_volume: '600000', total_trades: '1100', symbol_count: 2, market_share_pct: '54.5455', volume_rank: 1 },
  { week_ending: '2025-11-28', tier: 'OTC', mpid: 'OTCX', market_participant_name: OTCX, total_volume: '300000', total_trades: '1040', symbol_count: 2, market_share_pct: '27.2727', volume_rank: 2 },
  // 2025-12-05 (T1 4003500300, T2 5605300, OTC 2640000)
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', mpid: 'INCR', market_participant_name: INCR, total_volume: '601000100', total_trades: '456490', symbol_count: 3, market_share_pct: '15.0119', volume_rank: 2 },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', mpid: 'JPMX', market_participant_name: JPMX, total_volume: '1100000', total_trades: '7000', symbol_count: 1, market_share_pct: '0.0275', volume_rank: 3 },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', mpid: 'UBSA', market_participant_name: UBS, total_volume: '3401400200', total_trades: '1709160', symbol_count: 3, market_share_pct: '84.9607', volume_rank: 1 },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', mpid: 'EBXL', market_participant_name: EBXL, total_volume: '600000', total_trades: '3000', symbol_count: 1, market_share_pct: '10.7042', volume_rank: 3 },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', mpid: 'JNST', market_participant_name: JNST, total_volume: '1400000', total_trades: '2800', symbol_count: 1, market_share_pct: '24.9764', volume_rank: 2 },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', mpid: 'NITE', market_participant_name: NITE, total_volume: '505300', total_trades: '800', symbol_count: 2, market_share_pct: '9.0147', volume_rank: 4 },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', mpid: 'UBSA', market_participant_name: UBS, total_volume: '3100000', total_trades: '13400', symbol_count: 2, market_share_pct: '55.3048', volume_rank: 1 },
  { week_ending: '2025-12-05', tier: 'OTC', mpid: 'ARCA', market_participant_name: ARCA, total_volume: '460000', total_trades: '4216', symbol_count: 2, market_share_pct: '17.4242', volume_rank: 3 },
  { week_ending: '2025-12-05', tier: 'OTC', mpid: 'OTCN', market_participant_name: OTCN, total_volume: '1700000', total_trades: '340', symbol_count: 1, market_share_pct: '64.3939', volume_rank: 1 },
  { week_ending: '2025-12-05', tier: 'OTC', mpid: 'OTCX', market_participant_name: OTCX, total_volume: '480000', total_trades: '1875', symbol_count: 2, market_share_pct: '18.1818', volume_rank: 2 },
];

export const EXPECTED_SYMBOL_CONCENTRATION: readonly ExpectedConcentrationRow[] = [
  // 2025-10-31
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'AAPL', venue_count: 2, hhi: '0.520000', top_mpid: 'UBSA', top_venue_share_pct: '60.0000' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'BRK.A', venue_count: 1, hhi: '1.000000', top_mpid: 'UBSA', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'MSFT', venue_count: 1, hhi: '1.000000', top_mpid: 'INCR', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'SPY', venue_count: 2, hhi: '0.755102', top_mpid: 'UBSA', top_venue_share_pct: '85.7143' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'CLOV', venue_count: 2, hhi: '0.555556', top_mpid: 'UBSA', top_venue_share_pct: '66.6667' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'MVIS', venue_count: 1, hhi: null, top_mpid: 'NITE', top_venue_share_pct: null },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'SNDL', venue_count: 2, hhi: '0.625000', top_mpid: 'JNST', top_venue_share_pct: '75.0000' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'ACMEF', venue_count: 2, hhi: '0.680000', top_mpid: 'OTCN', top_venue_share_pct: '80.0000' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'GRLT', venue_count: 1, hhi: null, top_mpid: 'OTCN', top_venue_share_pct: null },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'NSRGY', venue_count: 2, hhi: '0.625000', top_mpid: 'ARCA', top_venue_share_pct: '75.0000' },
  // 2025-11-07
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'AAPL', venue_count: 2, hhi: '0.501134', top_mpid: 'UBSA', top_venue_share_pct: '52.3810' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'BRK.A', venue_count: 1, hhi: '1.000000', top_mpid: 'UBSA', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'SPY', venue_count: 2, hhi: '0.783824', top_mpid: 'UBSA', top_venue_share_pct: '87.6712' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', symbol: 'CLOV', venue_count: 2, hhi: '0.525494', top_mpid: 'UBSA', top_venue_share_pct: '61.2903' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', symbol: 'SNDL', venue_count: 2, hhi: '0.500000', top_mpid: 'JNST', top_venue_share_pct: '50.0000' },
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'ACMEF', venue_count: 2, hhi: '0.625000', top_mpid: 'OTCN', top_venue_share_pct: '75.0000' },
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'NSRGY', venue_count: 2, hhi: '0.580000', top_mpid: 'ARCA', top_venue_share_pct: '70.0000' },
  // 2025-11-14
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'AAPL', venue_count: 2, hhi: '0.508507', top_mpid: 'UBSA', top_venue_share_pct: '56.5217' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'MSFT', venue_count: 1, hhi: '1.000000', top_mpid: 'INCR', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'SPY', venue_count: 2, hhi: '0.744042', top_mpid: 'UBSA', top_venue_share_pct: '84.9315' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'CLOV', venue_count: 2, hhi: '0.580000', top_mpid: 'UBSA', top_venue_share_pct: '70.0000' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'MVIS', venue_count: 1, hhi: null, top_mpid: 'UBSA', top_venue_share_pct: null },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'SNDL', venue_count: 1, hhi: '1.000000', top_mpid: 'JNST', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'ACMEF', venue_count: 2, hhi: '0.773157', top_mpid: 'OTCN', top_venue_share_pct: '86.9565' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'GRLT', venue_count: 1, hhi: '1.000000', top_mpid: 'ARCA', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'NSRGY', venue_count: 2, hhi: '0.555556', top_mpid: 'ARCA', top_venue_share_pct: '66.6667' },
  // 2025-11-21
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'AAPL', venue_count: 2, hhi: '0.509298', top_mpid: 'UBSA', top_venue_share_pct: '56.8182' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'BRK.A', venue_count: 1, hhi: '1.000000', top_mpid: 'JPMX', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'MSFT', venue_count: 1, hhi: '1.000000', top_mpid: 'INCR', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'SPY', venue_count: 2, hhi: '0.771468', top_mpid: 'UBSA', top_venue_share_pct: '86.8421' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'CLOV', venue_count: 2, hhi: '0.608889', top_mpid: 'UBSA', top_venue_share_pct: '73.3333' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'SNDL', venue_count: 2, hhi: '0.680000', top_mpid: 'JNST', top_venue_share_pct: '80.0000' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'ACMEF', venue_count: 2, hhi: '0.680000', top_mpid: 'OTCN', top_venue_share_pct: '80.0000' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'GRLT', venue_count: 1, hhi: '1.000000', top_mpid: 'ARCA', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'NSRGY', venue_count: 2, hhi: '0.625000', top_mpid: 'ARCA', top_venue_share_pct: '75.0000' },
  // 2025-11-28
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'AAPL', venue_count: 2, hhi: '0.513889', top_mpid: 'UBSA', top_venue_share_pct: '58.3333' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'BRK.A', venue_count: 1, hhi: '1.000000', top_mpid: 'UBSA', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'SPY', venue_count: 2, hhi: '0.802469', top_mpid: 'UBSA', top_venue_share_pct: '88.8889' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'CLOV', venue_count: 2, hhi: '0.625000', top_mpid: 'UBSA', top_venue_share_pct: '75.0000' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'MVIS', venue_count: 1, hhi: '1.000000', top_mpid: 'NITE', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'SNDL', venue_count: 2, hhi: '0.555556', top_mpid: 'JNST', top_venue_share_pct: '66.6667' },
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'ACMEF', venue_count: 2, hhi: '0.591837', top_mpid: 'OTCN', top_venue_share_pct: '71.4286' },
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'NSRGY', venue_count: 3, hhi: '0.375000', top_mpid: 'ARCA', top_venue_share_pct: '50.0000' },
  // 2025-12-05
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'AAPL', venue_count: 2, hhi: '0.507200', top_mpid: 'UBSA', top_venue_share_pct: '56.0000' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'BRK.A', venue_count: 2, hhi: '0.555556', top_mpid: 'UBSA', top_venue_share_pct: '66.6667' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'MSFT', venue_count: 1, hhi: '1.000000', top_mpid: 'INCR', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'SPY', venue_count: 2, hhi: '0.745000', top_mpid: 'UBSA', top_venue_share_pct: '85.0000' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'CLOV', venue_count: 3, hhi: '0.680000', top_mpid: 'UBSA', top_venue_share_pct: '80.0000' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'MVIS', venue_count: 1, hhi: '1.000000', top_mpid: 'NITE', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'SNDL', venue_count: 2, hhi: '0.555556', top_mpid: 'JNST', top_venue_share_pct: '66.6667' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'ACMEF', venue_count: 2, hhi: '0.745000', top_mpid: 'OTCN', top_venue_share_pct: '85.0000' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'GRLT', venue_count: 1, hhi: '1.000000', top_mpid: 'ARCA', top_venue_share_pct: '100.0000' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'NSRGY', venue_count: 2, hhi: '0.580000', top_mpid: 'ARCA', top_venue_share_pct: '70.0000' },
];

export const EXPECTED_LIQUIDITY_SCORE: readonly ExpectedLiquidityRow[] = [
  // 2025-10-31
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'AAPL', avg_trade_size: '153.85', venue_count: 2, liquidity_score: '307.70' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'BRK.A', avg_trade_size: '1.25', venue_count: 1, liquidity_score: '1.25' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'MSFT', avg_trade_size: '125.00', venue_count: 1, liquidity_score: '125.00' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_1', symbol: 'SPY', avg_trade_size: '1842.11', venue_count: 2, liquidity_score: '3684.22' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'CLOV', avg_trade_size: '200.00', venue_count: 2, liquidity_score: '400.00' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'MVIS', avg_trade_size: '0.00', venue_count: 1, liquidity_score: '0.00' },
  { week_ending: '2025-10-31', tier: 'NMS_TIER_2', symbol: 'SNDL', avg_trade_size: '500.00', venue_count: 2, liquidity_score: '1000.00' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'ACMEF', avg_trade_size: '5000.00', venue_count: 2, liquidity_score: '10000.00' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'GRLT', avg_trade_size: '0.00', venue_count: 1, liquidity_score: '0.00' },
  { week_ending: '2025-10-31', tier: 'OTC', symbol: 'NSRGY', avg_trade_size: '94.12', venue_count: 2, liquidity_score: '188.24' },
  // 2025-11-07
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'AAPL', avg_trade_size: '161.54', venue_count: 2, liquidity_score: '323.08' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'BRK.A', avg_trade_size: '1.22', venue_count: 1, liquidity_score: '1.22' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_1', symbol: 'SPY', avg_trade_size: '1843.43', venue_count: 2, liquidity_score: '3686.86' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', symbol: 'CLOV', avg_trade_size: '206.67', venue_count: 2, liquidity_score: '413.34' },
  { week_ending: '2025-11-07', tier: 'NMS_TIER_2', symbol: 'SNDL', avg_trade_size: '444.44', venue_count: 2, liquidity_score: '888.88' },
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'ACMEF', avg_trade_size: '4705.88', venue_count: 2, liquidity_score: '9411.76' },
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'NSRGY', avg_trade_size: '100.00', venue_count: 2, liquidity_score: '200.00' },
  // 2025-11-14
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'AAPL', avg_trade_size: '158.62', venue_count: 2, liquidity_score: '317.24' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'MSFT', avg_trade_size: '150.13', venue_count: 1, liquidity_score: '150.13' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'SPY', avg_trade_size: '1852.79', venue_count: 2, liquidity_score: '3705.58' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'CLOV', avg_trade_size: '206.90', venue_count: 2, liquidity_score: '413.80' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'MVIS', avg_trade_size: '0.00', venue_count: 1, liquidity_score: '0.00' },
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'SNDL', avg_trade_size: '500.00', venue_count: 1, liquidity_score: '500.00' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'ACMEF', avg_trade_size: '4928.57', venue_count: 2, liquidity_score: '9857.14' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'GRLT', avg_trade_size: '3125.00', venue_count: 1, liquidity_score: '3125.00' },
  { week_ending: '2025-11-14', tier: 'OTC', symbol: 'NSRGY', avg_trade_size: '100.00', venue_count: 2, liquidity_score: '200.00' },
  // 2025-11-21
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'AAPL', avg_trade_size: '157.14', venue_count: 2, liquidity_score: '314.28' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'BRK.A', avg_trade_size: '1.28', venue_count: 1, liquidity_score: '1.28' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'MSFT', avg_trade_size: '150.00', venue_count: 1, liquidity_score: '150.00' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'SPY', avg_trade_size: '1853.66', venue_count: 2, liquidity_score: '3707.32' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'CLOV', avg_trade_size: '211.27', venue_count: 2, liquidity_score: '422.54' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'SNDL', avg_trade_size: '500.00', venue_count: 2, liquidity_score: '1000.00' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'ACMEF', avg_trade_size: '4761.90', venue_count: 2, liquidity_score: '9523.80' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'GRLT', avg_trade_size: '2500.00', venue_count: 1, liquidity_score: '2500.00' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'NSRGY', avg_trade_size: '100.00', venue_count: 2, liquidity_score: '200.00' },
  // 2025-11-28
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'AAPL', avg_trade_size: '150.00', venue_count: 2, liquidity_score: '300.00' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'BRK.A', avg_trade_size: '1.25', venue_count: 1, liquidity_score: '1.25' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_1', symbol: 'SPY', avg_trade_size: '1862.07', venue_count: 2, liquidity_score: '3724.14' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'CLOV', avg_trade_size: '200.00', venue_count: 2, liquidity_score: '400.00' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'MVIS', avg_trade_size: '250.00', venue_count: 1, liquidity_score: '250.00' },
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'SNDL', avg_trade_size: '461.54', venue_count: 2, liquidity_score: '923.08' },
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'ACMEF', avg_trade_size: '5000.00', venue_count: 2, liquidity_score: '10000.00' },
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'NSRGY', avg_trade_size: '100.00', venue_count: 3, liquidity_score: '300.00' },
  // 2025-12-05
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'AAPL', avg_trade_size: '156.25', venue_count: 2, liquidity_score: '312.50' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'BRK.A', avg_trade_size: '1.20', venue_count: 2, liquidity_score: '2.40' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'MSFT', avg_trade_size: '156.25', venue_count: 1, liquidity_score: '156.25' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'SPY', avg_trade_size: '1860.47', venue_count: 2, liquidity_score: '3720.94' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'CLOV', avg_trade_size: '200.00', venue_count: 3, liquidity_score: '600.00' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'MVIS', avg_trade_size: '631.63', venue_count: 1, liquidity_score: '631.63' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'SNDL', avg_trade_size: '500.00', venue_count: 2, liquidity_score: '1000.00' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'ACMEF', avg_trade_size: '4819.28', venue_count: 2, liquidity_score: '9638.56' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'GRLT', avg_trade_size: '2500.00', venue_count: 1, liquidity_score: '2500.00' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'NSRGY', avg_trade_size: '100.00', venue_count: 2, liquidity_score: '200.00' },
];

/** Weeks whose otc_symbol_rolling_6w rows are listed in full below. */
export const EXPECTED_ROLLING_WEEKS = ['2025-11-21', '2025-12-05'] as const;

export const EXPECTED_ROLLING_6W: readonly ExpectedRollingRow[] = [
  // 2025-11-21: window 2025-10-17..2025-11-21, i.e. fixture weeks 10-31, 11-07, 11-14, 11-21. MVIS is absent on 11-21: no row.
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'AAPL', weeks_in_window: 4, is_complete: false, mean_volume: '2150000.00', min_volume: '2000000', max_volume: '2300000', mean_trades: '13625.00', min_trades: '13000', max_trades: '14500', trend_pct: '9.76', trend_direction: 'UP' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'BRK.A', weeks_in_window: 3, is_complete: false, mean_volume: '300.00', min_volume: '280', max_volume: '320', mean_trades: '240.00', min_trades: '230', max_trades: '250', trend_pct: null, trend_direction: null },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'MSFT', weeks_in_window: 3, is_complete: false, mean_volume: '833666.67', min_volume: '400000', max_volume: '1201000', mean_trades: '5733.33', min_trades: '3200', max_trades: '8000', trend_pct: null, trend_direction: null },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_1', symbol: 'SPY', weeks_in_window: 4, is_complete: false, mean_volume: '3650000000.00', min_volume: '3500000000', max_volume: '3800000000', mean_trades: '1975000.00', min_trades: '1900000', max_trades: '2050000', trend_pct: '4.20', trend_direction: 'FLAT' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'CLOV', weeks_in_window: 4, is_complete: false, mean_volume: '3025000.00', min_volume: '3000000', max_volume: '3100000', mean_trades: '14675.00', min_trades: '14200', max_trades: '15000', trend_pct: '-1.64', trend_direction: 'FLAT' },
  { week_ending: '2025-11-21', tier: 'NMS_TIER_2', symbol: 'SNDL', weeks_in_window: 4, is_complete: false, mean_volume: '2125000.00', min_volume: '2000000', max_volume: '2500000', mean_trades: '4375.00', min_trades: '4000', max_trades: '5000', trend_pct: '12.50', trend_direction: 'UP' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'ACMEF', weeks_in_window: 4, is_complete: false, mean_volume: '2156250.00', min_volume: '1725000', max_volume: '2500000', mean_trades: '445.00', min_trades: '350', max_trades: '510', trend_pct: '-23.98', trend_direction: 'DOWN' },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'GRLT', weeks_in_window: 3, is_complete: false, mean_volume: '18333.33', min_volume: '0', max_volume: '30000', mean_trades: '6.67', min_trades: '0', max_trades: '12', trend_pct: null, trend_direction: null },
  { week_ending: '2025-11-21', tier: 'OTC', symbol: 'NSRGY', weeks_in_window: 4, is_complete: false, mean_volume: '525000.00', min_volume: '400000', max_volume: '600000', mean_trades: '5312.50', min_trades: '4250', max_trades: '6000', trend_pct: '33.33', trend_direction: 'UP' },
  // 2025-12-05: window 2025-10-31..2025-12-05, all six fixture weeks.
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'AAPL', weeks_in_window: 6, is_complete: true, mean_volume: '2050000.00', min_volume: '1200000', max_volume: '2500000', mean_trades: '13083.33', min_trades: '8000', max_trades: '16000', trend_pct: '-9.76', trend_direction: 'DOWN' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'BRK.A', weeks_in_window: 5, is_complete: false, mean_volume: '270.00', min_volume: '150', max_volume: '320', mean_trades: '218.00', min_trades: '120', max_trades: '250', trend_pct: '-22.41', trend_direction: 'DOWN' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'MSFT', weeks_in_window: 4, is_complete: false, mean_volume: '875250.00', min_volume: '400000', max_volume: '1201000', mean_trades: '5900.00', min_trades: '3200', max_trades: '8000', trend_pct: '18.68', trend_direction: 'UP' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'SPY', weeks_in_window: 6, is_complete: true, mean_volume: '3550000000.00', min_volume: '2700000000', max_volume: '4000000000', mean_trades: '1916666.67', min_trades: '1450000', max_trades: '2150000', trend_pct: '-6.29', trend_direction: 'DOWN' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'CLOV', weeks_in_window: 6, is_complete: true, mean_volume: '2850000.00', min_volume: '2000000', max_volume: '3100000', mean_trades: '13950.00', min_trades: '10000', max_trades: '15000', trend_pct: '-18.03', trend_direction: 'DOWN' },
  // MVIS: present 10-31 (0), 11-14 (0), 11-28, 12-05 -> the two oldest weeks average 0 -> trend NULL.
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'MVIS', weeks_in_window: 4, is_complete: false, mean_volume: '251325.00', min_volume: '0', max_volume: '505300', mean_trades: '700.00', min_trades: '0', max_trades: '2000', trend_pct: null, trend_direction: null },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'SNDL', weeks_in_window: 6, is_complete: true, mean_volume: '2066666.67', min_volume: '1800000', max_volume: '2500000', mean_trades: '4266.67', min_trades: '3900', max_trades: '5000', trend_pct: '-2.50', trend_direction: 'FLAT' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'ACMEF', weeks_in_window: 6, is_complete: true, mean_volume: '1887500.00', min_volume: '700000', max_volume: '2500000', mean_trades: '389.17', min_trades: '140', max_trades: '510', trend_pct: '-44.90', trend_direction: 'DOWN' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'GRLT', weeks_in_window: 4, is_complete: false, mean_volume: '23750.00', min_volume: '0', max_volume: '40000', mean_trades: '9.00', min_trades: '0', max_trades: '16', trend_pct: '180.00', trend_direction: 'UP' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'NSRGY', weeks_in_window: 6, is_complete: true, mean_volume: '516666.67', min_volume: '400000', max_volume: '600000', mean_trades: '5208.33', min_trades: '4000', max_trades: '6000', trend_pct: '11.11', trend_direction: 'UP' },
];

export const QUALITY_CHECK_NAMES = ['market_share_sum', 'no_negative_volume', 'line_accounting', 'venue_count_drop', 'tier_volume_swing'] as const;

/**
 * The only non-PASS quality checks. All other 87 of the 90 (week x tier x check) rows are PASS; in particular there is
 * no FAIL anywhere (market share sums are within 99.9999..100.0001).
 */
export const EXPECTED_QUALITY_NON_PASS: readonly ExpectedQualityRow[] = [
  // distinct MPIDs 4 (UBSA, EBXL, JNST, NITE) on 11-07 -> 3 (UBSA, EBXL, JNST) on 11-14: -25%
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', check_name: 'venue_count_drop', status: 'WARN' },
  // tier volume 2630000 on 11-21 -> 1100000 on 11-28: -58.17%
  { week_ending: '2025-11-28', tier: 'OTC', check_name: 'tier_volume_swing', status: 'WARN' },
  // tier volume 1100000 on 11-28 -> 2640000 on 12-05: +140%
  { week_ending: '2025-12-05', tier: 'OTC', check_name: 'tier_volume_swing', status: 'WARN' },
];

/** A selection of otc_research_snapshot rows; quality_status is WARN for NMS_TIER_2 11-14, OTC 11-28 and OTC 12-05. */
export const EXPECTED_RESEARCH_SNAPSHOT: readonly ExpectedResearchSnapshotRow[] = [
  // MSFT: avg trade size 150.125 rounded half-up; rolling over 10-31 and 11-14 only.
  { week_ending: '2025-11-14', tier: 'NMS_TIER_1', symbol: 'MSFT', issue_name: MSFT, total_volume: '1201000', total_trades: '8000', venue_count: 1, avg_trade_size: '150.13', top_mpid: 'INCR', top_venue_share_pct: '100.0000', hhi: '1.000000', liquidity_score: '150.13', rolling_mean_volume: '800500.00', rolling_weeks_in_window: 2, rolling_is_complete: false, trend_pct: null, trend_direction: null, quality_status: 'PASS' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_1', symbol: 'SPY', issue_name: SPY, total_volume: '4000000000', total_trades: '2150000', venue_count: 2, avg_trade_size: '1860.47', top_mpid: 'UBSA', top_venue_share_pct: '85.0000', hhi: '0.745000', liquidity_score: '3720.94', rolling_mean_volume: '3550000000.00', rolling_weeks_in_window: 6, rolling_is_complete: true, trend_pct: '-6.29', trend_direction: 'DOWN', quality_status: 'PASS' },
  // MVIS 11-14: zero volume (hhi and top share NULL), week has a venue_count_drop WARN.
  { week_ending: '2025-11-14', tier: 'NMS_TIER_2', symbol: 'MVIS', issue_name: MVIS, total_volume: '0', total_trades: '0', venue_count: 1, avg_trade_size: '0.00', top_mpid: 'UBSA', top_venue_share_pct: null, hhi: null, liquidity_score: '0.00', rolling_mean_volume: '0.00', rolling_weeks_in_window: 2, rolling_is_complete: false, trend_pct: null, trend_direction: null, quality_status: 'WARN' },
  { week_ending: '2025-12-05', tier: 'NMS_TIER_2', symbol: 'MVIS', issue_name: MVIS, total_volume: '505300', total_trades: '800', venue_count: 1, avg_trade_size: '631.63', top_mpid: 'NITE', top_venue_share_pct: '100.0000', hhi: '1.000000', liquidity_score: '631.63', rolling_mean_volume: '251325.00', rolling_weeks_in_window: 4, rolling_is_complete: false, trend_pct: null, trend_direction: null, quality_status: 'PASS' },
  // SNDL 11-28: trend exactly -5.00 (mean(2000000, 1800000) vs mean(2000000, 2000000)) -> FLAT, the bound is exclusive.
  { week_ending: '2025-11-28', tier: 'NMS_TIER_2', symbol: 'SNDL', issue_name: SNDL, total_volume: '1800000', total_trades: '3900', venue_count: 2, avg_trade_size: '461.54', top_mpid: 'JNST', top_venue_share_pct: '66.6667', hhi: '0.555556', liquidity_score: '923.08', rolling_mean_volume: '2060000.00', rolling_weeks_in_window: 5, rolling_is_complete: false, trend_pct: '-5.00', trend_direction: 'FLAT', quality_status: 'PASS' },
  // ACMEF 11-07: issue name of line 4 (line 5 spells it differently).
  { week_ending: '2025-11-07', tier: 'OTC', symbol: 'ACMEF', issue_name: ACMEF, total_volume: '2400000', total_trades: '510', venue_count: 2, avg_trade_size: '4705.88', top_mpid: 'OTCN', top_venue_share_pct: '75.0000', hhi: '0.625000', liquidity_score: '9411.76', rolling_mean_volume: '2450000.00', rolling_weeks_in_window: 2, rolling_is_complete: false, trend_pct: null, trend_direction: null, quality_status: 'PASS' },
  // NSRGY 11-28: 5 weeks in window (10-31..11-28), trend (mean(600000, 400000) - mean(400000, 500000)) / 450000.
  { week_ending: '2025-11-28', tier: 'OTC', symbol: 'NSRGY', issue_name: NSRGY, total_volume: '400000', total_trades: '4000', venue_count: 3, avg_trade_size: '100.00', top_mpid: 'ARCA', top_venue_share_pct: '50.0000', hhi: '0.375000', liquidity_score: '300.00', rolling_mean_volume: '500000.00', rolling_weeks_in_window: 5, rolling_is_complete: false, trend_pct: '11.11', trend_direction: 'UP', quality_status: 'WARN' },
  { week_ending: '2025-12-05', tier: 'OTC', symbol: 'GRLT', issue_name: GRLT, total_volume: '40000', total_trades: '16', venue_count: 1, avg_trade_size: '2500.00', top_mpid: 'ARCA', top_venue_share_pct: '100.0000', hhi: '1.000000', liquidity_score: '2500.00', rolling_mean_volume: '23750.00', rolling_weeks_in_window: 4, rolling_is_complete: false, trend_pct: '180.00', trend_direction: 'UP', quality_status: 'WARN' },
];

/** The legacy-format file (WeekEnding|Tier|Symbol|MPID|TotalShares|TotalTrades), imported as NMS_TIER_1 week 2025-12-05. */
export const EXPECTED_LEGACY: ExpectedIngest = {
  week_ending: '2025-12-05',
  tier: 'NMS_TIER_1',
  file: 'fixtures/legacy/NMS_TIER_1/2025-12-05.psv',
  data_lines: 4,
  accepted: 3,
  rejects: { WEEK_MISMATCH: [5] },
};

export const NOT_FINRA_FILE = 'fixtures/bad/not-finra.csv';

export const GOLDEN: GoldenExpected = {
  weeks: GOLDEN_WEEKS,
  tiers: GOLDEN_TIERS,
  maxRejectShare: GOLDEN_MAX_REJECT_SHARE,
  ingest: EXPECTED_INGEST,
  otc_symbol_summary: EXPECTED_SYMBOL_SUMMARY,
  otc_venue_share: EXPECTED_VENUE_SHARE,
  otc_symbol_concentration: EXPECTED_SYMBOL_CONCENTRATION,
  otc_liquidity_score: EXPECTED_LIQUIDITY_SCORE,
  rollingWeeks: EXPECTED_ROLLING_WEEKS,
  otc_symbol_rolling_6w: EXPECTED_ROLLING_6W,
  qualityCheckNames: QUALITY_CHECK_NAMES,
  qualityRowCount: 90,
  core_quality_non_pass: EXPECTED_QUALITY_NON_PASS,
  otc_research_snapshot: EXPECTED_RESEARCH_SNAPSHOT,
  legacy: EXPECTED_LEGACY,
  notFinraFile: NOT_FINRA_FILE,
};
