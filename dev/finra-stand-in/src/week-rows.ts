import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseTier, tierApiIdentifier, tierDescription, type Tier } from '@spine/otc/tiers';
import type { VenueType } from '@spine/otc/venue-types';
import { FINRA_FILE_COLUMNS, FINRA_FILE_HEADER, FINRA_FIRM_FILE_COLUMNS, FINRA_FIRM_FILE_HEADER } from '@spine/otc/finra-query/row-format';
import { addDays, weekStartDate } from '@spine/platform';

export const LEGACY_HEADER = 'WeekEnding|Tier|Symbol|MPID|TotalShares|TotalTrades';

export type StandInRow = Record<string, string | number | null>;

/**
 * The summary types FINRA's weeklySummary dataset holds for every week and tier (DOMAIN.md, "The grain"), per venue
 * type: symbol x venue, symbol (per-issue totals, no MPID) and venue (per-firm totals, no symbol). The fixture files
 * hold the finest grain; the other two are derived from it the way FINRA derives them, by summing.
 */
export const SUMMARY_TYPES_OF: Record<VenueType, { symbolFirm: string; symbol: string; firm: string }> = {
  ATS: { symbolFirm: 'ATS_W_SMBL_FIRM', symbol: 'ATS_W_SMBL', firm: 'ATS_W_FIRM' },
  NON_ATS: { symbolFirm: 'OTC_W_SMBL_FIRM', symbol: 'OTC_W_SMBL', firm: 'OTC_W_FIRM' },
};

export interface FixtureWeek {
  tier: Tier;
  weekEnding: string;
  venueType: VenueType;
}

/**
 * Every row of a week in the Query API's shape, all summary types together (the grains are told apart only by
 * summaryTypeCode, as in FINRA's dataset), or undefined when there is no fixture file. The file is read on every
 * request, so a test can rewrite a fixture to simulate FINRA republishing a week.
 *
 * Lines whose field count does not match the header are still served, field by field by position (missing fields
 * null, extra ones dropped): the JSON protocol cannot carry a malformed line, and dropping it would change the row
 * count that ingest accounts for.
 */
export async function readWeekRows(file: string, week: FixtureWeek): Promise<StandInRow[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const firmRows = symbolFirmRows(text, file, week);
  const types = SUMMARY_TYPES_OF[week.venueType];
  const common = {
    weekStartDate: weekStartDate(week.weekEnding),
    summaryStartDate: weekStartDate(week.weekEnding),
    tierIdentifier: tierApiIdentifier(week.tier),
    productTypeCode: week.tier === 'OTC' ? 'OTC' : 'NMS',
    initialPublishedDate: publicationDate(week),
  };
  return [
    ...firmRows.map((row) => ({ ...row, ...common, summaryTypeCode: types.symbolFirm })),
    ...totals(firmRows, (row) => String(row.issueSymbolIdentifier), ['issueSymbolIdentifier', 'issueName', 'tierDescription', 'lastUpdateDate']).map((row) => ({
      ...row, MPID: null, marketParticipantName: null, firmCRDNumber: null, ...common, summaryTypeCode: types.symbol,
    })),
    // Firms without an MPID are their CRD number, or the unattributed aggregate when they have neither.
    ...totals(firmRows, (row) => `${row.MPID ?? ''} ${row.firmCRDNumber ?? ''}`, ['MPID', 'marketParticipantName', 'firmCRDNumber', 'tierDescription', 'lastUpdateDate']).map((row) => ({
      ...row, issueSymbolIdentifier: null, issueName: null, ...common, summaryTypeCode: types.firm,
    })),
  ];
}

/** The fixture's own lines as symbol x ATS rows: the FINRA download format, or the legacy test format. */
function symbolFirmRows(text: string, file: string, week: FixtureWeek): StandInRow[] {
  const [header = '', ...lines] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records = lines.filter((line) => line.trim() !== '').map((line) => line.split('|'));
  if (header.trim() === FINRA_FILE_HEADER) {
    return records.map((fields) => {
      const row: StandInRow = Object.fromEntries(FINRA_FILE_COLUMNS.map((column, i) => [column, apiValue(column, fields[i])]));
      row.firmCRDNumber = crdNumber(row.MPID ?? null);
      return row;
    });
  }
  if (header.trim() === FINRA_FIRM_FILE_HEADER) {
    // The fixture says each firm's CRD number; an empty one stays null (FINRA's unattributed aggregate).
    return records.map((fields) => Object.fromEntries(FINRA_FIRM_FILE_COLUMNS.map((column, i) => {
      const value = apiValue(column, fields[i]);
      return [column, column === 'firmCRDNumber' && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value];
    })));
  }
  if (header.trim() === LEGACY_HEADER) {
    const lastUpdateDate = publicationDate(week);
    return records.map(([, tier, symbol, mpid, shares, trades]) => {
      const knownTier = tier === undefined ? undefined : parseTier(tier);
      return {
        // An unknown tier is kept verbatim: such rows exist in fixtures to exercise INVALID_TIER.
        tierDescription: knownTier ? tierDescription(knownTier) : (tier ?? null),
        issueSymbolIdentifier: symbol ?? null,
        issueName: null,
        marketParticipantName: null,
        MPID: mpid ?? null,
        firmCRDNumber: crdNumber(mpid ?? null),
        totalWeeklyShareQuantity: apiValue('totalWeeklyShareQuantity', shares),
        totalWeeklyTradeCount: apiValue('totalWeeklyTradeCount', trades),
        lastUpdateDate,
      };
    });
  }
  throw new Error(`Fixture ${file} has neither the FINRA header (${FINRA_FILE_HEADER}, optionally |firmCRDNumber) nor the legacy header (${LEGACY_HEADER})`);
}

/**
 * One row per key with the two counts summed, in order of first appearance. A count that is not a number (a hostile
 * fixture) makes the total null rather than a made-up figure.
 */
function totals(rows: StandInRow[], keyOf: (row: StandInRow) => string, carried: string[]): StandInRow[] {
  const groups = new Map<string, StandInRow>();
  for (const row of rows) {
    const key = keyOf(row);
    const total = groups.get(key);
    if (!total) {
      groups.set(key, {
        ...Object.fromEntries(carried.map((c) => [c, row[c] ?? null])),
        totalWeeklyShareQuantity: row.totalWeeklyShareQuantity ?? null, totalWeeklyTradeCount: row.totalWeeklyTradeCount ?? null,
      });
      continue;
    }
    for (const count of ['totalWeeklyShareQuantity', 'totalWeeklyTradeCount'] as const) {
      const [a, b] = [total[count], row[count]];
      total[count] = typeof a === 'number' && typeof b === 'number' ? a + b : null;
    }
  }
  return [...groups.values()];
}

/** FINRA sends the counts as JSON numbers; values that are not plain integers stay strings for ingest to reject. */
function apiValue(column: string, value: string | undefined): string | number | null {
  // FINRA sends an absent value (a firm without an MPID) as null.
  if (value === undefined || value === '') return null;
  const isCount = column === 'totalWeeklyShareQuantity' || column === 'totalWeeklyTradeCount';
  return isCount && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/** A stable made-up CRD number per MPID: fixtures carry no CRD numbers, FINRA's rows always do. */
function crdNumber(mpid: string | number | null): number | null {
  if (mpid === null || mpid === '' || mpid === undefined) return null;
  return 100_000 + (createHash('sha1').update(String(mpid)).digest().readUInt32BE(0) % 900_000);
}

/**
 * Legacy files carry no lastUpdateDate; use the day FINRA would have published the week (DOMAIN.md: Friday + 17 days
 * for NMS Tier 1, + 31 days for NMS Tier 2 and OTC), which passes ingest's plausibility check.
 */
function publicationDate({ tier, weekEnding }: FixtureWeek): string {
  return addDays(weekEnding, tier === 'NMS_TIER_1' ? 17 : 31);
}
