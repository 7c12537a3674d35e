import { readFile } from 'node:fs/promises';
import { parseTier, tierApiIdentifier, tierDescription, type Tier } from '@spine/otc/tiers';
import { FINRA_FILE_COLUMNS, FINRA_FILE_HEADER } from '../finra-api/row-format.ts';
import { addDays, weekStartDate } from '../week-dates.ts';

export const LEGACY_HEADER = 'WeekEnding|Tier|Symbol|MPID|TotalShares|TotalTrades';

export type StandInRow = Record<string, string | number | null>;

export interface FixtureWeek {
  tier: Tier;
  weekEnding: string;
  /** Echoed into every row: fixtures hold one summary, whichever type the client asks for. */
  summaryTypeCode: string;
}

/**
 * Reads a fixture file as the Query API's row objects, or undefined when there is no such file. The file is read on
 * every request, so a test can rewrite a fixture to simulate FINRA republishing a week.
 *
 * Lines whose field count does not match the header are still served, field by field by position (missing fields
 * null, extra ones dropped): the JSON protocol cannot carry a malformed line, and dropping it would change the row
 * count that ingest accounts for.
 */
export async function readFixtureRows(file: string, week: FixtureWeek): Promise<StandInRow[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const [header = '', ...lines] = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const records = lines.filter((line) => line.trim() !== '').map((line) => line.split('|'));
  const apiFields = {
    weekStartDate: weekStartDate(week.weekEnding),
    summaryTypeCode: week.summaryTypeCode,
    tierIdentifier: tierApiIdentifier(week.tier),
  };

  if (header.trim() === FINRA_FILE_HEADER) {
    return records.map((fields) => ({
      ...Object.fromEntries(FINRA_FILE_COLUMNS.map((column, i) => [column, apiValue(column, fields[i])])),
      ...apiFields,
    }));
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
        totalWeeklyShareQuantity: apiValue('totalWeeklyShareQuantity', shares),
        totalWeeklyTradeCount: apiValue('totalWeeklyTradeCount', trades),
        lastUpdateDate,
        ...apiFields,
      };
    });
  }
  throw new Error(`Fixture ${file} has neither the FINRA header (${FINRA_FILE_HEADER}) nor the legacy header (${LEGACY_HEADER})`);
}

/** FINRA sends the counts as JSON numbers; values that are not plain integers stay strings for ingest to reject. */
function apiValue(column: string, value: string | undefined): string | number | null {
  if (value === undefined) return null;
  const isCount = column === 'totalWeeklyShareQuantity' || column === 'totalWeeklyTradeCount';
  return isCount && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}

/**
 * Legacy files carry no lastUpdateDate; use the day FINRA would have published the week (DOMAIN.md: Friday + 17 days
 * for NMS Tier 1, + 31 days for NMS Tier 2 and OTC), which passes ingest's plausibility check.
 */
function publicationDate({ tier, weekEnding }: FixtureWeek): string {
  return addDays(weekEnding, tier === 'NMS_TIER_1' ? 17 : 31);
}
