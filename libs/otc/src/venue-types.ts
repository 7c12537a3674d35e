/**
 * The two weekly OTC transparency summaries FINRA publishes for every week and tier (DOMAIN.md): volume on
 * alternative trading systems, and OTC volume reported by other member firms. A partition is one week x tier x
 * venue type; each is fetched, loaded, revised and late on its own.
 */
export const VENUE_TYPES = ['ATS', 'NON_ATS'] as const;
export type VenueType = (typeof VENUE_TYPES)[number];

/**
 * The first week FINRA published of each summary: no source can hold an earlier one. ATS volume begins with the week
 * of May 12-16, 2014, the first that Rule 4552 required ATSs to report (FINRA Regulatory Notice 14-07); non-ATS volume
 * with the week of April 4-8, 2016 (FINRA Technical Notice "FINRA ATS Data Changes Effective Monday, April 25, 2016":
 * non-ATS volume information "as of April 4, 2016").
 */
export const FIRST_PUBLISHED_WEEK: Record<VenueType, string> = { ATS: '2014-05-16', NON_ATS: '2016-04-08' };

/** FINRA's summaryTypeCode of each venue type at the symbol x venue grain. */
const SUMMARY_TYPE: Record<VenueType, 'ATS_W_SMBL_FIRM' | 'OTC_W_SMBL_FIRM'> = { ATS: 'ATS_W_SMBL_FIRM', NON_ATS: 'OTC_W_SMBL_FIRM' };

export function summaryTypeCode(venueType: VenueType): 'ATS_W_SMBL_FIRM' | 'OTC_W_SMBL_FIRM' {
  return SUMMARY_TYPE[venueType];
}

/** ATS or NON_ATS, case-insensitive; undefined for anything else, never a guess. */
export function parseVenueType(value: string): VenueType | undefined {
  const upper = value.trim().toUpperCase().replace('-', '_');
  return (VENUE_TYPES as readonly string[]).includes(upper) ? (upper as VenueType) : undefined;
}

/**
 * How a non-ATS row names its venue. FINRA publishes non-ATS volume per member firm, under one identifier for all of
 * a firm's MPIDs (Rules 6110(b)(2)(A) and 6610(b)(2)(A)): rows carry the firm's MPID and its CRD number. Rows with no
 * MPID are keyed by the firm's CRD number, `CRD:<number>`; a row with neither is the aggregate of firms FINRA did not
 * attribute (the "De Minimis Firms" line of weeks before November 2019, Regulatory Notice 19-29), keyed
 * `DE_MINIMIS`. Neither key can collide with an MPID, which is four letters or digits.
 */
export function nonAtsVenueKey(mpid: string, firmCrdNumber: string | null): string {
  if (mpid !== '') return mpid;
  return firmCrdNumber === null ? DE_MINIMIS_VENUE : `CRD:${firmCrdNumber}`;
}

export const DE_MINIMIS_VENUE = 'DE_MINIMIS';

/** `all` (both venue types) or one of them, case-insensitive; undefined for anything else. */
export function parseVenueTypes(value: string): VenueType[] | undefined {
  if (value.trim().toLowerCase() === 'all') return [...VENUE_TYPES];
  const venueType = parseVenueType(value);
  return venueType ? [venueType] : undefined;
}
