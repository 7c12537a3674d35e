import { z } from 'zod';

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

const fieldValue = z.union([z.string(), z.number(), z.null()]).optional();

/**
 * One row object of the Query API's weeklySummary dataset. The API also sends weekStartDate, summaryTypeCode and
 * tierIdentifier, which the file format does not carry. Values may be strings, numbers (FINRA sends the counts as
 * JSON numbers) or null; a missing or null value becomes an empty field, which ingest then rejects with a reason.
 */
export const weeklySummaryRowSchema = z.looseObject(
  Object.fromEntries(FINRA_FILE_COLUMNS.map((column) => [column, fieldValue])) as Record<FinraFileColumn, typeof fieldValue>,
);
export type WeeklySummaryRow = z.infer<typeof weeklySummaryRowSchema>;

/**
 * A '|' or a line break inside a value would shift columns or split the row, so each is replaced by a single
 * space. Issue names are the only free text and FINRA's own files never contain these characters.
 */
function fileField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[|\r\n]/g, ' ');
}

/** Formats an API row as one line of the download file, without the line end. */
export function formatRowLine(row: WeeklySummaryRow): string {
  return FINRA_FILE_COLUMNS.map((column) => fileField(row[column])).join('|');
}
