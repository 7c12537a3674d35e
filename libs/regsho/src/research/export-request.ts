import * as z from 'zod';
import { exportFormatSchema, exportOutSchema, tableListSchema } from '@spine/platform/research/export-request';
import { MARKET_CODES, parseMarketCode, type MarketCode } from '../facilities.ts';

/** The tables `spine export --dataset regsho` writes (export-tables.ts describes their rows and columns). */
export const EXPORT_TABLE_NAMES = ['daily_volume', 'symbol_daily', 'symbol_week'] as const;
export type ExportTableName = (typeof EXPORT_TABLE_NAMES)[number];

const dateSchema = z.iso.date({ error: 'a date, YYYY-MM-DD' });
const tradeDate = (which: string) => dateSchema.meta({ description: `${which} trade date, inclusive`, format: 'date' });
const isDate = (value: string) => dateSchema.safeParse(value).success;

const marketCodesSchema = z.string().transform((value, ctx): MarketCode[] => {
  const codes = value.split(',').map((code) => parseMarketCode(code.trim()));
  if (codes.some((code) => !code)) {
    ctx.addIssue({ code: 'custom', message: `unknown market code in "${value}": use one or more of ${MARKET_CODES.join(', ')}, comma-separated` });
    return z.NEVER;
  }
  return [...new Set(codes as MarketCode[])];
});

/**
 * `spine export --dataset regsho`: a range of trade dates (both ends required, so that an export's size is chosen,
 * not defaulted), optionally some facilities only, at a point in time on either clock (Reg SHO's published_on is the
 * New York date its file was captured on: its sources give no date of FINRA's).
 */
export const exportRequest = z.object({
  tables: tableListSchema(EXPORT_TABLE_NAMES),
  from: tradeDate('First'),
  to: tradeDate('Last'),
  market_code: marketCodesSchema.optional(),
  as_of_published: dateSchema.optional(),
  as_of_captured: z.iso.datetime({ offset: true, error: 'an ISO 8601 instant such as 2025-01-10T23:00:00Z' }).optional(),
  format: exportFormatSchema,
  out: exportOutSchema,
}).superRefine((value, ctx) => {
  // An invalid end has its own message already.
  if (isDate(value.from) && isDate(value.to) && value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `to ${value.to} is before from ${value.from}` });
  if (value.as_of_published !== undefined && value.as_of_captured !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['as_of_captured'], message: 'give as_of_published or as_of_captured, not both' });
  }
});
export type ExportRequest = z.output<typeof exportRequest>;
