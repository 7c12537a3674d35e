/**
 * FINRA's reporting facilities of the Reg SHO daily short-sale volume (the `Market` column of its daily files, the
 * `marketCode` field of the Query API's regShoDaily): one file per facility per trade date.
 */
export const MARKET_CODES = ['N', 'Q', 'B', 'D', 'O'] as const;
export type MarketCode = (typeof MARKET_CODES)[number];

interface Facility {
  /** `reportingFacilityCode` in the Query API. */
  readonly reportingFacilityCode: string;
  /** The prefix of the facility's daily file names (`FNSQshvol20250110.txt`). */
  readonly filePrefix: string;
  readonly name: string;
  /** The first trade date FINRA published for the facility, where it is later than the files' own start. */
  readonly firstTradeDate?: string;
}

export const FACILITIES: Readonly<Record<MarketCode, Facility>> = {
  N: { reportingFacilityCode: 'NYTRF', filePrefix: 'FNYX', name: 'NYSE Trade Reporting Facility' },
  Q: { reportingFacilityCode: 'NQTRF', filePrefix: 'FNSQ', name: 'Nasdaq TRF Carteret' },
  B: { reportingFacilityCode: 'NCTRF', filePrefix: 'FNQC', name: 'Nasdaq TRF Chicago', firstTradeDate: '2018-09-10' },
  D: { reportingFacilityCode: 'ADF', filePrefix: 'FNRA', name: 'Alternative Display Facility' },
  O: { reportingFacilityCode: 'ORF', filePrefix: 'FORF', name: 'OTC Reporting Facility' },
};

/** The prefix of FINRA's consolidated NMS file, whose lines sum several facilities (`Market` such as `B,Q,N`). */
export const CONSOLIDATED_FILE_PREFIX = 'CNMS';

/** A market code in any case, or undefined for anything else (never a guess). */
export function parseMarketCode(text: string): MarketCode | undefined {
  const code = text.trim().toUpperCase();
  return (MARKET_CODES as readonly string[]).includes(code) ? (code as MarketCode) : undefined;
}
