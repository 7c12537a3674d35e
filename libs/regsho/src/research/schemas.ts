import * as z from 'zod';
import { pageShape } from '@spine/platform/research/page-token';
import { answerSchemaOf, provenanceSchemaOf } from '@spine/platform/research/research-endpoint';
import { weekEndingProblem } from '@spine/platform/time/week-ending';
import { SYMBOL } from '../daily-file.ts';
import { MARKET_CODES } from '../facilities.ts';

/**
 * The parameters and answers of Reg SHO's research questions. Volumes are decimal strings: the files carry fractions
 * (2026's) and the sums are exact numerics, which a JSON number would round. Ratios, to 6 places, are numbers.
 */

export const regshoSymbolSchema = z.string().trim().toUpperCase().regex(SYMBOL, 'a symbol is 1 to 14 letters, digits or . / $ + = ^ -')
  .meta({ description: 'The symbol as the daily files write it, any case', example: 'AAPL' });

export const weekEndingSchema = z.string().superRefine((value, ctx) => {
  const problem = weekEndingProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).meta({ description: 'The Friday of the trading week (OTC\'s week_ending), YYYY-MM-DD', format: 'date', example: '2025-01-10' });

const day = (description: string) => z.iso.date({ error: 'a date, YYYY-MM-DD' }).optional().meta({ description, example: '2025-01-10' });

export const symbolDailyQuery = z.object({
  from: day('First trade date, inclusive; default: the 60th newest trade date loaded (as of as_of_published) up to `to`'),
  to: day('Last trade date, inclusive; default: the newest trade date loaded (as of as_of_published)'),
  as_of_published: day('Answer with, per trade date and facility, the newest file published by this date instead of the newest: ' +
    'a file\'s publication date is the New York date this system captured it (Reg SHO\'s sources give no date of FINRA\'s)'),
}).superRefine((value, ctx) => {
  if (value.from && value.to && value.from > value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: `to ${value.to} is before from ${value.from}` });
});
export type SymbolDailyQuery = z.output<typeof symbolDailyQuery>;

export const weekResearchQuery = z.object({
  symbol: regshoSymbolSchema.optional().meta({ description: 'Only this symbol' }),
  ...pageShape,
});
export type WeekResearchQuery = z.output<typeof weekResearchQuery>;

const date = z.string().meta({ format: 'date' });
const volume = (description: string) => z.string().meta({ description: `${description}: an exact decimal, as a string`, example: '1234567.25' });
const marketCode = z.enum(MARKET_CODES);

export const regshoCaptureSchema = z.object({
  capture_id: z.string(),
  trade_date: date,
  market_code: marketCode.meta({ description: 'The reporting facility: N NYSE TRF, Q Nasdaq TRF Carteret, B Nasdaq TRF Chicago, D ADF, O ORF' }),
  revision: z.int(),
  captured_at: z.string().meta({ format: 'date-time', description: 'When this system captured the file' }),
  published_on: date.meta({ description: 'What as_of_published compares with (core_captures.published_on): the New York date of captured_at' }),
});
export type RegshoCapture = z.infer<typeof regshoCaptureSchema>;
export const regshoProvenanceSchema = provenanceSchemaOf(regshoCaptureSchema);

export const symbolDaySchema = z.object({
  trade_date: date,
  symbol: z.string(),
  short_volume: volume('Short sale volume, short-exempt included, summed over the facilities'),
  short_exempt_volume: volume('Short-exempt volume, summed over the facilities'),
  total_volume: volume('All volume reported to the facilities'),
  short_ratio: z.number().nullable().meta({ description: 'short_volume / total_volume, 6 places; null when total_volume is 0' }),
  short_exempt_share: z.number().nullable().meta({ description: 'short_exempt_volume / short_volume, 6 places; null when short_volume is 0' }),
  market_codes: z.array(marketCode).meta({ description: 'The facilities that reported the symbol that day' }),
  capture_ids: z.array(z.string()).meta({ description: 'The captures summed, in market-code order' }),
  window_start: date.meta({ description: 'First trading day of the 20 (XNYS) ending on trade_date' }),
  days_in_window: z.int().meta({ description: 'Days of the window with a short ratio (the symbol traded)' }),
  is_complete: z.boolean().meta({ description: 'All 20 days of the window had a short ratio' }),
  avg_short_ratio_20d: z.number().nullable().meta({ description: 'Mean of the daily short ratios over the window, 6 places' }),
});
export type SymbolDay = z.infer<typeof symbolDaySchema>;

export const weekResearchSchema = z.object({
  week_ending: date,
  symbol: z.string(),
  trading_days: z.int().meta({ description: 'Trading days of the week the symbol has Reg SHO volume' }),
  short_volume: volume('Off-exchange short sale volume of the week'),
  short_exempt_volume: volume('Short-exempt volume of the week'),
  total_volume: volume('All volume reported to the facilities in the week'),
  short_ratio: z.number().nullable(),
  ats_volume: volume('OTC weekly ATS volume, summed over tiers').nullable().meta({ description: 'null when OTC has not loaded the week' }),
  non_ats_volume: volume('OTC weekly non-ATS volume, summed over tiers').nullable(),
  ats_share_pct: z.number().nullable().meta({ description: 'ATS / (ATS + non-ATS) in percent, 4 places; null while either is missing' }),
  tiers: z.array(z.string()).nullable().meta({ description: 'The OTC tiers the symbol has that week' }),
  regsho_capture_ids: z.array(z.string()),
  otc_capture_ids: z.array(z.string()).nullable().meta({ description: 'The OTC captures read (ATS then non-ATS, by tier)' }),
});
export type WeekResearch = z.infer<typeof weekResearchSchema>;

export const symbolDailyAnswer = answerSchemaOf(symbolDaySchema, regshoProvenanceSchema);
export const weekResearchAnswer = answerSchemaOf(weekResearchSchema, regshoProvenanceSchema);
