import * as z from 'zod';
import { pageShape } from '@spine/platform/research/page-token';
import { exportFormatSchema, exportOutSchema, tableListSchema } from '@spine/platform/research/export-request';
import { weekEndingProblem } from '@spine/platform/time/week-ending';
import { parseTier, TIERS, type Tier } from '../tiers.ts';
import { parseVenueTypes, VENUE_TYPES, type VenueType } from '../venue-types.ts';
import { HHI_CALC, HHI_VERSIONS } from './hhi-version.ts';

/**
 * The parameters of every research question, as the API (query string and path) and the CLI (options) take them:
 * one zod schema per question validates both and is what the OpenAPI document describes.
 */

export const fridaySchema = z.string().superRefine((value, ctx) => {
  const problem = weekEndingProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
}).meta({ description: 'A week_ending: the Friday of the trading week, YYYY-MM-DD', format: 'date', example: '2025-12-05' });

const tierSchema = z.string().transform((value, ctx): Tier => {
  const tier = parseTier(value);
  if (!tier) {
    ctx.addIssue({ code: 'custom', message: `unknown tier "${value}": use one of ${TIERS.join(', ')}` });
    return z.NEVER;
  }
  return tier;
}).meta({ description: `NMS_TIER_1, NMS_TIER_2 or OTC (FINRA's "NMS Tier 1", "T1" ... too, any case)`, example: 'NMS_TIER_1' });

const venueTypesSchema = z.string().default('all').transform((value, ctx): VenueType[] => {
  const venueTypes = parseVenueTypes(value);
  if (!venueTypes) ctx.addIssue({ code: 'custom', message: `unknown venue type "${value}": use all, ${VENUE_TYPES.join(' or ')}` });
  return venueTypes ?? z.NEVER;
}).meta({ description: 'ATS, NON_ATS or all (both of FINRA\'s weekly summaries)', example: 'ATS' });

/** Point in time: at most one of the two clocks; neither means the newest capture of each partition. */
const asOfShape = {
  as_of_published: z.iso.date().optional().meta({
    description: 'Answer with, per partition, the newest capture FINRA had published by this date (its lastUpdateDate; ' +
      'for a capture whose lines carry none, the New York date it was captured on)', example: '2025-12-01',
  }),
  as_of_captured: z.iso.datetime({ offset: true }).optional().meta({
    description: 'Answer with, per partition, the newest capture this system had captured by this instant (captured_at)',
    example: '2025-12-01T12:00:00Z',
  }),
};

const rangeShape = {
  from: fridaySchema.optional().meta({ description: 'First week_ending (a Friday), inclusive' }),
  to: fridaySchema.optional().meta({ description: 'Last week_ending (a Friday), inclusive' }),
};

/** Which major version of the HHI to read; absent, the current one of each capture (what the contract view serves). */
const hhiShape = {
  hhi_version: z.coerce.number({ error: 'a major version of the HHI: an integer such as 2' })
    .int({ error: 'a major version of the HHI: an integer such as 2' })
    .refine((v) => HHI_VERSIONS.includes(v), { error: (issue) => `${HHI_CALC} has no version ${String(issue.input)}: use ${HHI_VERSIONS.join(' or ')}` })
    .optional()
    .meta({
      description: `The major version of ${HHI_CALC} whose HHI to read (${HHI_VERSIONS.join(' or ')}: v1 on a 0..1 scale, v2 in percent points, ` +
        '0..10,000), current or not; 409 if it has not run on a capture the answer needs. Absent: per capture, the current version',
      enum: [...HHI_VERSIONS], example: 2,
    }),
};

function oneClock<T extends { as_of_published?: string; as_of_captured?: string }>(value: T, ctx: z.RefinementCtx): void {
  if (value.as_of_published !== undefined && value.as_of_captured !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['as_of_captured'], message: 'give as_of_published or as_of_captured, not both' });
  }
}

function ordered<T extends { from?: string; to?: string }>(value: T, ctx: z.RefinementCtx): void {
  if (value.from && value.to && !weekEndingProblem(value.from) && !weekEndingProblem(value.to) && value.from > value.to) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `to ${value.to} is before from ${value.from}` });
  }
}

const checked = <S extends z.ZodObject>(shape: S) => shape.superRefine((v, ctx) => {
  oneClock(v as { as_of_published?: string; as_of_captured?: string }, ctx);
  ordered(v as { from?: string; to?: string }, ctx);
});

export const symbolSchema = z.string().trim().toUpperCase().regex(/^[A-Z0-9.$/-]{1,20}$/, 'a symbol is 1 to 20 letters, digits or . $ / -')
  .meta({ description: 'The issue symbol (issueSymbolIdentifier), any case', example: 'AAPL' });
export const mpidSchema = z.string().trim().toUpperCase().regex(/^[A-Z0-9:_]{1,20}$/, 'an MPID is 1 to 20 letters or digits (CRD:<number> and DE_MINIMIS for non-ATS firms)')
  .meta({ description: 'The venue: an MPID, or for non-ATS firms without one CRD:<number> or DE_MINIMIS', example: 'UBSA' });
export const captureIdSchema = z.string().min(1).max(200).meta({ description: 'A capture_id, as the captures listing and every provenance block give it' });

export const symbolHistoryQuery = checked(z.object({ tier: tierSchema.optional(), venue_type: venueTypesSchema, ...rangeShape, ...asOfShape, ...hhiShape, ...pageShape }));
export const weekTierQuery = checked(z.object({ tier: tierSchema, venue_type: venueTypesSchema, ...asOfShape, ...pageShape }));
/** The research snapshot of a week: the week's tier, and the HHI version as a symbol's history takes it. */
export const weekSnapshotQuery = checked(z.object({ tier: tierSchema, venue_type: venueTypesSchema, ...asOfShape, ...hhiShape, ...pageShape }));
export const venueHistoryQuery = checked(z.object({ tier: tierSchema.optional(), venue_type: venueTypesSchema, ...rangeShape, ...asOfShape, ...pageShape }));
export const partitionsQuery = checked(z.object({ tier: tierSchema.optional(), venue_type: venueTypesSchema, ...rangeShape, ...asOfShape, ...pageShape }));
export const qualityQuery = partitionsQuery;
export const capturesQuery = checked(z.object({ tier: tierSchema.optional(), venue_type: venueTypesSchema, ...rangeShape, ...asOfShape, ...pageShape }));
export const anomaliesQuery = checked(z.object({
  tier: tierSchema.optional(), venue_type: venueTypesSchema, ...rangeShape,
  open: z.enum(['true', 'false']).optional().transform((v) => (v === undefined ? undefined : v === 'true'))
    .meta({ description: 'true: only anomalies still open; false: only resolved ones' }),
  ...pageShape,
}));
export const diffQuery = z.object(pageShape);

export type SymbolHistoryQuery = z.output<typeof symbolHistoryQuery>;
export type WeekTierQuery = z.output<typeof weekTierQuery>;
export type WeekSnapshotQuery = z.output<typeof weekSnapshotQuery>;
export type VenueHistoryQuery = z.output<typeof venueHistoryQuery>;
export type PartitionsQuery = z.output<typeof partitionsQuery>;
export type CapturesQuery = z.output<typeof capturesQuery>;
export type AnomaliesQuery = z.output<typeof anomaliesQuery>;
export type DiffQuery = z.output<typeof diffQuery>;

/** The tables `spine export` writes (export-tables.ts describes their columns). */
export const EXPORT_TABLE_NAMES = ['venue_volume', 'symbol_summary', 'venue_share'] as const;
export type ExportTableName = (typeof EXPORT_TABLE_NAMES)[number];

const exportTablesSchema = tableListSchema(EXPORT_TABLE_NAMES);

const tiersSchema = z.string().transform((value, ctx): Tier[] => {
  const tiers = value.split(',').map((name) => parseTier(name.trim()));
  if (tiers.some((tier) => !tier)) {
    ctx.addIssue({ code: 'custom', message: `unknown tier in "${value}": use one or more of ${TIERS.join(', ')}, comma-separated` });
    return z.NEVER;
  }
  return [...new Set(tiers as Tier[])];
});

/** `spine export`: a range of weeks (both ends required, so that an export's size is chosen, not defaulted), point in time. */
export const exportRequest = checked(z.object({
  tables: exportTablesSchema,
  from: fridaySchema,
  to: fridaySchema,
  tier: tiersSchema.optional(),
  venue_type: venueTypesSchema,
  ...asOfShape,
  format: exportFormatSchema,
  out: exportOutSchema,
}));
export type ExportRequest = z.output<typeof exportRequest>;

/**
 * A download of one exported table as one file (the dashboard's research pages): the table, the format, and the
 * question's scope; the symbol or the week come from the page's path.
 */
export const downloadQuery = checked(z.object({
  table: z.enum(EXPORT_TABLE_NAMES, { error: `use one of ${EXPORT_TABLE_NAMES.join(', ')}` }),
  format: exportFormatSchema,
  tier: tierSchema.optional(),
  venue_type: venueTypesSchema,
  ...rangeShape,
  ...asOfShape,
}));
export type DownloadRequest = z.output<typeof downloadQuery> & { symbol?: string };
