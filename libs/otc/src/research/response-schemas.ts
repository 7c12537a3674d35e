import * as z from 'zod';
import { answerSchemaOf, provenanceSchemaOf } from '@spine/platform/research/research-endpoint';

/**
 * The shapes of the research answers: the types the read models return (z.infer) and what the OpenAPI document
 * says they return. Numbers are JSON numbers (share counts stay below 2^53); dates are YYYY-MM-DD; instants are ISO
 * 8601 in UTC with microseconds.
 */

const date = z.string().meta({ format: 'date' });
const instant = z.string().meta({ format: 'date-time' });
const verdict = z.enum(['PASS', 'WARN', 'FAIL']);
const venueType = z.enum(['ATS', 'NON_ATS']);
const tier = z.enum(['NMS_TIER_1', 'NMS_TIER_2', 'OTC']);

export const provenanceCaptureSchema = z.object({
  capture_id: z.string(),
  week_ending: date,
  tier,
  venue_type: venueType,
  revision: z.int(),
  captured_at: instant.meta({ description: 'When this system captured the version' }),
  finra_initial_published_date: date.nullable().meta({ description: "FINRA's initialPublishedDate (Query API answers only)" }),
  finra_last_update_date: date.nullable().meta({ description: "FINRA's lastUpdateDate: the newest of the version's lines" }),
  finra_last_reported_date: date.nullable().meta({ description: "FINRA's lastReportedDate (Query API answers only)" }),
  published_on: date.meta({ description: 'What as_of_published compares with: finra_last_update_date, else the New York date of captured_at' }),
});

export const provenanceSchema = provenanceSchemaOf(provenanceCaptureSchema);

export const rollingSchema = z.object({
  rolling_weeks_in_window: z.int(),
  rolling_is_complete: z.boolean(),
  rolling_mean_volume: z.number(),
  rolling_min_volume: z.number(),
  rolling_max_volume: z.number(),
  rolling_mean_trades: z.number(),
  rolling_min_trades: z.number(),
  rolling_max_trades: z.number(),
  trend_pct: z.number().nullable(),
  trend_direction: z.enum(['UP', 'DOWN', 'FLAT']).nullable(),
});

export const symbolWeekSchema = z.object({
  week_ending: date,
  tier,
  venue_type: venueType,
  symbol: z.string(),
  issue_name: z.string(),
  total_volume: z.number(),
  total_trades: z.number(),
  venue_count: z.int(),
  avg_trade_size: z.number(),
  hhi: z.number().nullable().meta({ description: 'Herfindahl-Hirschman index of the venues, on the scale of the version read (provenance.calculations names ' +
    'otc_symbol_concentration@N): v1 0..1 (6 places), v2 0..10,000 (venue shares in percent points, 2 places); NULL when the symbol had no volume' }),
  top_mpid: z.string(),
  top_venue_share_pct: z.number().nullable(),
  ats_share_pct: z.number().nullable().meta({ description: 'ATS / (ATS + non-ATS) volume in percent, from the two captures current then' }),
  quality_status: verdict,
  capture_id: z.string(),
  revision: z.int(),
  ...rollingSchema.shape,
});

export const venueWeekSchema = z.object({
  week_ending: date,
  tier,
  venue_type: venueType,
  mpid: z.string(),
  market_participant_name: z.string(),
  total_volume: z.number(),
  total_trades: z.number(),
  symbol_count: z.int(),
  market_share_pct: z.number(),
  volume_rank: z.int(),
  capture_id: z.string(),
  revision: z.int(),
});

const captureStatus = z.enum(['complete', 'gated', 'failed', 'in_progress']);

export const partitionSchema = z.object({
  week_ending: date,
  tier,
  venue_type: venueType,
  status: captureStatus.meta({ description: "The state of the partition's newest capture" }),
  capture_count: z.int(),
  last_captured_at: instant,
  capture_id: z.string().nullable().meta({ description: 'The capture answers read: the newest complete one' }),
  revision: z.int().nullable(),
  published_on: date.nullable(),
  quality_status: verdict.nullable(),
});

export const captureRowSchema = z.object({
  capture_id: z.string(),
  week_ending: date,
  tier,
  venue_type: venueType,
  revision: z.int(),
  status: captureStatus,
  captured_at: instant,
  published_on: date,
  finra_initial_published_date: date.nullable(),
  finra_last_update_date: date.nullable(),
  finra_last_reported_date: date.nullable(),
  accepted_rows: z.int().nullable(),
  source_uri: z.string(),
});

export const lineChangeSchema = z.object({
  change: z.enum(['added', 'removed', 'changed']),
  symbol: z.string(),
  mpid: z.string(),
  before_volume: z.number().nullable(),
  after_volume: z.number().nullable(),
  before_trades: z.number().nullable(),
  after_trades: z.number().nullable(),
  before_issue_name: z.string().nullable(),
  after_issue_name: z.string().nullable(),
  before_participant_name: z.string().nullable(),
  after_participant_name: z.string().nullable(),
});

export const diffSummarySchema = z.object({
  from_capture_id: z.string(),
  to_capture_id: z.string(),
  added: z.int(),
  removed: z.int(),
  changed: z.int(),
  unchanged: z.int(),
});

export const qualityCheckSchema = z.object({
  week_ending: date,
  tier,
  venue_type: venueType,
  check_name: z.string(),
  status: verdict,
  observed: z.number().nullable(),
  threshold: z.number().nullable(),
  message: z.string(),
  checked_at: instant,
  capture_id: z.string(),
});

export const anomalySchema = z.object({
  anomaly_id: z.int(),
  category: z.string(),
  severity: z.string(),
  week_ending: date.nullable(),
  tier: tier.nullable(),
  venue_type: venueType.nullable(),
  capture_id: z.string().nullable(),
  message: z.string(),
  detected_at: instant,
  resolved_at: instant.nullable(),
});

/** A page of an answer: its rows, the token of the next page (null on the last), and where the rows came from. */
export function answerSchema<Row extends z.ZodType>(row: Row, extra: z.ZodRawShape = {}) {
  return answerSchemaOf(row, provenanceSchema, extra);
}

export type ProvenanceCapture = z.infer<typeof provenanceCaptureSchema>;
export type Provenance = z.infer<typeof provenanceSchema>;
export type RollingFigures = z.infer<typeof rollingSchema>;
export type SymbolWeek = z.infer<typeof symbolWeekSchema>;
export type VenueWeek = z.infer<typeof venueWeekSchema>;
export type Partition = z.infer<typeof partitionSchema>;
export type CaptureRow = z.infer<typeof captureRowSchema>;
export type LineChange = z.infer<typeof lineChangeSchema>;
export type DiffSummary = z.infer<typeof diffSummarySchema>;
export type QualityCheck = z.infer<typeof qualityCheckSchema>;
export type Anomaly = z.infer<typeof anomalySchema>;
