import * as z from 'zod';

/** Columns of FINRA's download file, in file order. */
export const FINRA_FILE_COLUMNS = [
  'tierDescription',
  'issueSymbolIdentifier',
  'issueName',
  'marketParticipantName',
  'MPID',
  'totalWeeklyShareQuantity',
  'totalWeeklyTradeCount',
  'lastUpdateDate',
] as const;
export type FinraFileColumn = (typeof FINRA_FILE_COLUMNS)[number];

export const FINRA_FILE_HEADER = FINRA_FILE_COLUMNS.join('|');

/** The fields that say which week, tier and grain a row belongs to; checked on every row, never stored. */
export const ROW_IDENTITY_FIELDS = ['summaryTypeCode', 'weekStartDate', 'tierIdentifier'] as const;
export type RowIdentity = Record<(typeof ROW_IDENTITY_FIELDS)[number], string>;

/**
 * Non-ATS weeks also carry the firm's CRD number: FINRA publishes non-ATS volume per member firm, and a firm without
 * an MPID is told apart by it. The file gets one more column; ATS weeks keep the download format byte for byte.
 */
export const FINRA_FIRM_FILE_COLUMNS = [...FINRA_FILE_COLUMNS, 'firmCRDNumber'] as const;
export const FINRA_FIRM_FILE_HEADER = FINRA_FIRM_FILE_COLUMNS.join('|');

/** FINRA's dates of a row's version that the file format has no column for; kept with the capture instead. */
export const PUBLICATION_FIELDS = ['initialPublishedDate', 'lastReportedDate'] as const;

/** What the client asks for: only the columns it stores, the identity of each row, and its publication dates. */
export function queryFields(columns: readonly string[]): string[] {
  return [...columns, ...ROW_IDENTITY_FIELDS, ...PUBLICATION_FIELDS];
}

const fieldValue = z.union([z.string(), z.number(), z.null()]).optional();

/**
 * One row object of the Query API's weeklySummary dataset. The API also sends weekStartDate, summaryTypeCode and
 * tierIdentifier, which the file format does not carry. Values may be strings, numbers (FINRA sends the counts as
 * JSON numbers) or null; a missing or null value becomes an empty field, which ingest then rejects with a reason.
 */
export const weeklySummaryRowSchema = z.looseObject(
  Object.fromEntries(FINRA_FIRM_FILE_COLUMNS.map((column) => [column, fieldValue])) as Record<FinraFileColumn | 'firmCRDNumber', typeof fieldValue>,
);
export type WeeklySummaryRow = z.infer<typeof weeklySummaryRowSchema>;

/** Why a row is not of the week, tier and grain asked for, or undefined when it is. */
export function identityMismatch(row: WeeklySummaryRow, expected: Partial<RowIdentity>): string | undefined {
  for (const field of ROW_IDENTITY_FIELDS) {
    const want = expected[field];
    if (want === undefined) continue;
    const got = row[field];
    if (got !== want) return `${field} ${got === undefined || got === null ? 'missing' : JSON.stringify(got)}, not the ${JSON.stringify(want)} asked for`;
  }
  return undefined;
}

/**
 * A '|' or a line break inside a value would shift columns or split the row, so each is replaced by a single
 * space. Issue names are the only free text and FINRA's own files never contain these characters.
 */
function fileField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[|\r\n]/g, ' ');
}

/** Formats an API row as one line of the download file (or `columns`), without the line end. */
export function formatRowLine(row: WeeklySummaryRow, columns: readonly (FinraFileColumn | 'firmCRDNumber')[] = FINRA_FILE_COLUMNS): string {
  return columns.map((column) => fileField(row[column])).join('|');
}
