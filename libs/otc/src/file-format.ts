export const FINRA_HEADER =
  'tierDescription|issueSymbolIdentifier|issueName|marketParticipantName|MPID|totalWeeklyShareQuantity|totalWeeklyTradeCount|lastUpdateDate';
export const LEGACY_HEADER = 'WeekEnding|Tier|Symbol|MPID|TotalShares|TotalTrades';
/**
 * FINRA's columns plus the firm's CRD number: how the API client writes a non-ATS week, whose firms without an MPID
 * are told apart by CRD number (see nonAtsVenueKey). ATS weeks keep the download format, byte for byte.
 */
export const FINRA_FIRM_HEADER = `${FINRA_HEADER}|firmCRDNumber`;

export type FileFormat = 'finra' | 'finra_firm' | 'legacy';

/** The format a header line announces (BOM and line end ignored), or undefined for anything else. */
export function detectFormat(headerLine: string): FileFormat | undefined {
  const header = headerLine.replace(/^\uFEFF/, '').replace(/\r$/, '').trim();
  if (header === FINRA_HEADER) return 'finra';
  if (header === FINRA_FIRM_HEADER) return 'finra_firm';
  if (header === LEGACY_HEADER) return 'legacy';
  return undefined;
}
