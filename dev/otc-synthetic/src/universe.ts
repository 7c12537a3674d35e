/**
 * The synthetic symbol and venue universe of a tier. A universe is a pure function of (tier, seed): symbol n always
 * has the same ticker, issue name, size and venue preferences, whatever week or file size is generated, so rolling
 * windows fill. Nothing is stored: symbolAt() derives a symbol from its index, and tickers come from a permutation of
 * the ticker space, so the first N symbols are spread over the whole alphabet for any N.
 */
import type { Tier } from '@spine/otc/tiers';
import { type Rng, hash32, logNormal, pick, rngFor, weightedIndex } from './prng.ts';

export interface Venue {
  readonly mpid: string;
  readonly name: string;
  /** Relative popularity: how likely a symbol trades there. */
  readonly weight: number;
}

/** ATS and OTC venues that report to FINRA (MPIDs are 4 upper-case alphanumerics). */
const NMS_VENUES: readonly Venue[] = [
  { mpid: 'UBSA', name: 'UBS ATS', weight: 10 },
  { mpid: 'INCR', name: 'INTELLIGENT CROSS LLC', weight: 9 },
  { mpid: 'JPMX', name: 'JPM-X', weight: 7 },
  { mpid: 'MSPL', name: 'MS POOL (ATS-4)', weight: 6 },
  { mpid: 'SGMA', name: 'SIGMA X2', weight: 5 },
  { mpid: 'KCGM', name: 'VIRTU MATCHIT', weight: 5 },
  { mpid: 'EBXL', name: 'LEVEL ATS', weight: 4 },
  { mpid: 'CROS', name: 'CROSSFINDER', weight: 3 },
  { mpid: 'DBAX', name: 'SUPERX ATS', weight: 3 },
  { mpid: 'IATS', name: 'IBKR ATS', weight: 3 },
  { mpid: 'BIDS', name: 'BIDS TRADING, L.P.', weight: 2 },
  { mpid: 'PDQX', name: 'PDQ ATS, INC.', weight: 2 },
  { mpid: 'XSTM', name: 'CROSSSTREAM', weight: 1 },
  { mpid: 'LTXX', name: 'LTX ATS', weight: 1 },
];

const OTC_VENUES: readonly Venue[] = [
  { mpid: 'OTCN', name: 'OTCN OTC LINK NQB IDQS', weight: 40 },
  { mpid: 'OTCX', name: 'OTCX OTC LINK ECN ATS', weight: 30 },
  { mpid: 'ARCA', name: 'ARCA GLOBAL OTC', weight: 15 },
  { mpid: 'PPEX', name: 'PPEX NORTH CAPITAL PRIVATE SECURITIES CORPORATION', weight: 7 },
  { mpid: 'NITE', name: 'VIRTU AMERICAS LLC', weight: 3 },
  { mpid: 'CDRG', name: 'CITADEL SECURITIES LLC', weight: 3 },
  { mpid: 'INTL', name: 'STONEX FINANCIAL INC.', weight: 2 },
  { mpid: 'PROS', name: 'PROS TZERO SECURITIES LLC', weight: 0.5 },
  { mpid: 'ALTS', name: 'ALTS LODAS SECURITIES ALTERNATIVE TRADING SYSTEM', weight: 0.4 },
  { mpid: 'SWCL', name: 'SWCL INX SECURITIES, LLC', weight: 0.3 },
  { mpid: 'SMKT', name: 'SMKT SECURITIZE MARKETS ATS', weight: 0.3 },
];

export const VENUES: Readonly<Record<Tier, readonly Venue[]>> = {
  NMS_TIER_1: NMS_VENUES,
  NMS_TIER_2: NMS_VENUES,
  OTC: OTC_VENUES,
};

/** At most this many venues per symbol and week. */
export const MAX_VENUES_PER_SYMBOL = 8;

interface TierProfile {
  /** Median weekly volume of a symbol (all venues), log-normal spread. */
  readonly medianVolume: number;
  readonly volumeSigma: number;
  readonly medianTradeSize: number;
  readonly tradeSizeSigma: number;
  /** Weights of 1..8 venues. */
  readonly venueCountWeights: readonly number[];
  /** Probability range of a symbol trading in a given week. */
  readonly presence: readonly [number, number];
  /** Share of mega symbols (index-fund ETFs) whose venues report billions of shares. */
  readonly megaShare: number;
}

const TIER_PROFILES: Readonly<Record<Tier, TierProfile>> = {
  NMS_TIER_1: {
    medianVolume: 2_500_000,
    volumeSigma: 1.2,
    medianTradeSize: 140,
    tradeSizeSigma: 0.35,
    venueCountWeights: [2, 3, 6, 10, 14, 16, 16, 14],
    presence: [0.985, 1],
    megaShare: 0.004,
  },
  NMS_TIER_2: {
    medianVolume: 300_000,
    volumeSigma: 1.5,
    medianTradeSize: 180,
    tradeSizeSigma: 0.5,
    venueCountWeights: [10, 12, 14, 14, 12, 10, 8, 6],
    presence: [0.94, 1],
    megaShare: 0,
  },
  OTC: {
    medianVolume: 30_000,
    volumeSigma: 2,
    medianTradeSize: 250,
    tradeSizeSigma: 1.6,
    venueCountWeights: [50, 25, 18, 4, 1.5, 0.8, 0.4, 0.3],
    presence: [0.8, 0.99],
    megaShare: 0,
  },
};

export interface SymbolProfile {
  /** 0-based position in the universe. */
  readonly index: number;
  readonly symbol: string;
  readonly issueName: string;
  /** Median weekly volume over all venues. */
  readonly medianVolume: number;
  readonly avgTradeSize: number;
  /** Venues in order of preference (up to MAX_VENUES_PER_SYMBOL); a week uses the first venueCount of them. */
  readonly venues: readonly Venue[];
  readonly baseVenueCount: number;
  /** Probability that the symbol trades in a given week. */
  readonly presence: number;
  /** Phase of the symbol's slow (half-year) volume cycle, radians. */
  readonly phase: number;
  /** Orders symbols like their tickers (byte order); unique within a universe. */
  readonly sortKey: number;
}

// Ticker spaces. NMS: every string of 1-4 letters in lexicographic (depth-first) order: A, AA, AAA, AAAA, AAAB, ...,
// 26 * (1 + 26 + 26^2 + 26^3) = 475,254 positions. OTC: the 26^4 = 456,976 four-letter strings. A share-class suffix
// (NMS `.A`/`.B`) or a foreign-issue fifth letter (OTC `F`/`Y`) keeps a ticker's place in that order.
const SUBTREE = [18_279, 703, 27, 1] as const; // positions under a prefix of length 1..4 (itself included)
const NMS_SPACE = 26 * SUBTREE[0];
const OTC_SPACE = 26 ** 4;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/**
 * Multipliers of the index -> ticker permutation: close to space / golden ratio, so consecutive indices land far
 * apart and any prefix of the universe covers the alphabet evenly, and coprime with the space (475,254 =
 * 2 * 3^3 * 13 * 677; 456,976 = 2^4 * 13^4), so the map is a bijection.
 */
const NMS_STRIDE = 293_723;
const OTC_STRIDE = 282_423;

function nmsTicker(position: number): string {
  let rest = position;
  let ticker = '';
  for (let depth = 0; depth < 4; depth++) {
    const size = SUBTREE[depth] as number;
    ticker += LETTERS[Math.floor(rest / size)];
    rest %= size;
    if (rest === 0) return ticker;
    rest -= 1;
  }
  return ticker;
}

function otcTicker(position: number): string {
  let ticker = '';
  let rest = position;
  for (let i = 0; i < 4; i++) {
    ticker = LETTERS[rest % 26] + ticker;
    rest = Math.floor(rest / 26);
  }
  return ticker;
}

/** Number of distinct symbols a tier's universe can hold. */
export function universeCapacity(tier: Tier): number {
  return tier === 'OTC' ? OTC_SPACE : NMS_SPACE;
}

function modInverse(a: number, m: number): number {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1) throw new Error(`${a} is not invertible modulo ${m}`);
  return ((oldS % m) + m) % m;
}

const INVERSE_STRIDE = { nms: modInverse(NMS_STRIDE, NMS_SPACE), otc: modInverse(OTC_STRIDE, OTC_SPACE) };

/** (a * b) mod m without leaving the exact integer range of doubles. */
function mulMod(a: number, b: number, m: number): number {
  return Number((BigInt(a) * BigInt(b)) % BigInt(m));
}

function offset(tier: Tier, seed: number): number {
  return hash32(seed, tier, 'offset') % universeCapacity(tier);
}

/** Where symbol `index` sits in the ticker space: a permutation, so tickers are unique and spread over the alphabet. */
export function tickerPosition(tier: Tier, seed: number, index: number): number {
  const space = universeCapacity(tier);
  return (mulMod(tier === 'OTC' ? OTC_STRIDE : NMS_STRIDE, index, space) + offset(tier, seed)) % space;
}

/** The inverse of tickerPosition. */
export function indexAtPosition(tier: Tier, seed: number, position: number): number {
  const space = universeCapacity(tier);
  const inverse = tier === 'OTC' ? INVERSE_STRIDE.otc : INVERSE_STRIDE.nms;
  return mulMod(inverse, (position - offset(tier, seed) + space) % space, space);
}

const ROOTS = [
  'Apex', 'Atlas', 'Beacon', 'Blue Ridge', 'Cascade', 'Cobalt', 'Crescent', 'Delta', 'Evergreen', 'Falcon',
  'Frontier', 'Granite', 'Harbor', 'Horizon', 'Iron', 'Juniper', 'Keystone', 'Liberty', 'Lumen', 'Meridian',
  'Northwind', 'Orion', 'Pacific', 'Pinnacle', 'Polaris', 'Quantum', 'Redwood', 'Sequoia', 'Silverline', 'Sterling',
  'Summit', 'Titan', 'Trident', 'Unity', 'Vertex', 'Willow', 'Xenon', 'Yellowstone', 'Zenith', 'Aurora',
];
const INDUSTRIES = [
  'Bio', 'Capital', 'Energy', 'Financial', 'Foods', 'Gold', 'Health', 'Industries', 'Lithium', 'Media',
  'Minerals', 'Networks', 'Pharma', 'Realty', 'Resources', 'Semiconductor', 'Systems', 'Technologies', 'Therapeutics', 'Water',
];
const US_STATES = ['NV', 'DE', 'WY', 'FL', 'CO', 'UT'];
const FOREIGN = ['Canada', 'Japan', 'United Kingdom', 'Australia', 'Germany', 'Switzerland', 'Hong Kong', 'France'];
const PARS = ['$0.001', '$0.0001', '$0.00001', '$0.01'];
const INDEX_NAMES = ['S&P 500', 'Total Market', 'Nasdaq-100', 'Russell 2000', 'Aggregate Bond', 'Select Sector'];

function nmsIssueName(rng: Rng, shareClass: string): string {
  const root = pick(rng, ROOTS);
  const industry = pick(rng, INDUSTRIES);
  if (shareClass) return `${root} ${industry} Holdings, Inc. Class ${shareClass} Common Stock`;
  switch (Math.floor(rng() * 6)) {
    case 0:
      return `${root} ${industry} ETF`;
    case 1:
      return `${root} ${industry} Corp. Common Stock`;
    case 2:
      return `${root} ${industry} Ltd. American Depositary Shares (each representing 2 Ordinary Shares)`;
    case 3:
      return `${root} ${industry} Trust, Inc. 6.50% Series C Cumulative Redeemable Preferred Stock, $25.00 par`;
    default:
      return `${root} ${industry}, Inc. Common Stock`;
  }
}

function otcIssueName(rng: Rng, foreignSuffix: string): string {
  const root = pick(rng, ROOTS);
  const industry = pick(rng, INDUSTRIES);
  if (foreignSuffix === 'Y') return `${root} ${industry} Co., Ltd. Unsponsored ADR (${pick(rng, FOREIGN)})`;
  if (foreignSuffix === 'F') return `${root} ${industry} Ltd Ordinary Shares (${pick(rng, FOREIGN)})`;
  switch (Math.floor(rng() * 3)) {
    case 0:
      return `${root.toUpperCase()} ${industry.toUpperCase()} CORP COM PAR ${pick(rng, PARS)}`;
    case 1:
      return `${root} ${industry}, Inc. Common Stock (${pick(rng, PARS)} par) (${pick(rng, US_STATES)})`;
    default:
      return `${root} ${industry} Holdings, Inc. Common Stock`;
  }
}

/** Weighted sample without replacement: the symbol's venues in order of preference. */
function venuePreference(rng: Rng, pool: readonly Venue[]): Venue[] {
  const remaining = [...pool];
  const chosen: Venue[] = [];
  while (chosen.length < MAX_VENUES_PER_SYMBOL && remaining.length > 0) {
    const i = weightedIndex(rng, remaining.map((v) => v.weight));
    chosen.push(...remaining.splice(i, 1));
  }
  return chosen;
}

/**
 * Symbol `index` of the universe of (tier, seed): a pure function, so a symbol is the same in every week and in
 * every file size. Indices run from 0 to universeCapacity(tier) - 1; a week of N rows uses the first symbols.
 */
export function symbolAt(tier: Tier, seed: number, index: number): SymbolProfile {
  if (!Number.isInteger(index) || index < 0 || index >= universeCapacity(tier)) {
    throw new RangeError(`symbol index ${index} is outside the ${tier} universe`);
  }
  const profile = TIER_PROFILES[tier];
  const rng = rngFor(seed, tier, 'symbol', index);
  const position = tickerPosition(tier, seed, index);
  const variant = suffixVariant(tier, rng);
  const mega = profile.megaShare > 0 && (index === 0 || rng() < profile.megaShare);
  let symbol: string;
  let issueName: string;
  if (tier === 'OTC') {
    const suffix = variant === 0 ? '' : variant === 1 ? 'F' : 'Y';
    symbol = otcTicker(position) + suffix;
    issueName = otcIssueName(rng, suffix);
  } else {
    const shareClass = variant === 0 ? '' : variant === 1 ? 'A' : 'B';
    symbol = nmsTicker(position) + (shareClass ? `.${shareClass}` : '');
    issueName = mega ? `${pick(rng, ROOTS)} ${pick(rng, INDEX_NAMES)} ETF Trust` : nmsIssueName(rng, shareClass);
  }
  const medianVolume = mega ? logNormal(rng, 6e9, 0.25) : logNormal(rng, profile.medianVolume, profile.volumeSigma);
  const avgTradeSize = Math.max(1, logNormal(rng, mega ? 250 : profile.medianTradeSize, profile.tradeSizeSigma));
  const venues = venuePreference(rng, VENUES[tier]);
  const baseVenueCount = mega
    ? Math.min(venues.length, 2 + Math.floor(rng() * 3))
    : Math.min(venues.length, 1 + weightedIndex(rng, profile.venueCountWeights));
  const [low, high] = profile.presence;
  return {
    index,
    symbol,
    issueName,
    medianVolume,
    avgTradeSize,
    venues,
    baseVenueCount,
    presence: mega ? 1 : low + (high - low) * rng(),
    phase: 2 * Math.PI * rng(),
    sortKey: position * 3 + variant,
  };
}

/** 0 plain, 1 and 2 the suffixes (NMS `.A` / `.B` for 1% each; OTC `F` for 20%, `Y` for 12%). */
function suffixVariant(tier: Tier, rng: Rng): number {
  const r = rng();
  const [first, second] = tier === 'OTC' ? [0.2, 0.32] : [0.01, 0.02];
  return r < first ? 1 : r < second ? 2 : 0;
}

/** The symbol whose sortKey is `key`. */
export function symbolAtSortKey(tier: Tier, seed: number, key: number): SymbolProfile {
  return symbolAt(tier, seed, indexAtPosition(tier, seed, Math.floor(key / 3)));
}
