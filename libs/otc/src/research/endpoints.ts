import { endpoint, type Endpoint } from '@spine/platform/research/research-endpoint';
import { anomalies, qualityChecks } from './quality.ts';
import { captureList } from './capture-list.ts';
import { partitions } from './partitions.ts';
import {
  anomaliesQuery, captureIdSchema, capturesQuery, diffQuery, fridaySchema, mpidSchema, partitionsQuery, qualityQuery, symbolHistoryQuery,
  symbolSchema, venueHistoryQuery, weekSnapshotQuery, weekTierQuery,
} from './request-schemas.ts';
import {
  anomalySchema, answerSchema, captureRowSchema, diffSummarySchema, lineChangeSchema, partitionSchema, provenanceSchema,
  qualityCheckSchema, symbolWeekSchema, venueWeekSchema,
} from './response-schemas.ts';
import { revisionDiff } from './revision-diff.ts';
import { symbolHistory } from './symbol-history.ts';
import { weekSnapshot } from './week-snapshot.ts';
import { venueHistory, weekVenues } from './week-venues.ts';

const symbolWeeksAnswer = answerSchema(symbolWeekSchema);
const HHI_NOT_RUN = 'The hhi_version asked for has not run on some captures the answer needs; the message says how many and what to run';
const venueWeeksAnswer = answerSchema(venueWeekSchema);

/** Every answer's provenance is one component of the OpenAPI document, Provenance, as it was before other datasets'. */
const withProvenance: typeof endpoint = (definition) => endpoint({ ...definition, components: { Provenance: provenanceSchema } });

/**
 * OTC's questions of the research API, at the API's root (/api/v1/symbols/..., /api/v1/weeks/...): the paths it served
 * before datasets had their own (DatasetDefinition.research). The list of datasets (/api/v1/datasets), OTC's while it
 * was the one dataset, is the research layer's now (libs/research/src/dataset-list.ts).
 */
export const OTC_ENDPOINTS: readonly Endpoint[] = [
  withProvenance({
    operationId: 'listPartitions', path: '/datasets/otc/partitions',
    summary: 'Coverage: every week x tier x venue type loaded, with its status, quality verdict, capture count and last revision',
    pathParams: {}, query: partitionsQuery, answer: answerSchema(partitionSchema), answerName: 'PartitionsAnswer',
    run: (db, _path, query) => partitions(db, query),
  }),
  withProvenance({
    operationId: 'symbolHistory', path: '/symbols/{symbol}/history',
    summary: "A symbol's weekly history: volume, trades, venues, HHI, top venue, ATS share, rolling 6-week figures and trend",
    pathParams: { symbol: symbolSchema }, query: symbolHistoryQuery, answer: symbolWeeksAnswer, answerName: 'SymbolWeeksAnswer', conflict: HHI_NOT_RUN,
    run: (db, path, query) => symbolHistory(db, path.symbol, query),
  }),
  withProvenance({
    operationId: 'weekSnapshot', path: '/weeks/{week_ending}/snapshot',
    summary: "The research snapshot of a week and tier: every symbol's figures",
    pathParams: { week_ending: fridaySchema }, query: weekSnapshotQuery, answer: symbolWeeksAnswer, answerName: 'SymbolWeeksAnswer', conflict: HHI_NOT_RUN,
    run: (db, path, query) => weekSnapshot(db, path.week_ending, query),
  }),
  withProvenance({
    operationId: 'weekVenues', path: '/weeks/{week_ending}/venues',
    summary: "A week's venue table for a tier: volume, trades, symbols, market share and rank of every venue",
    pathParams: { week_ending: fridaySchema }, query: weekTierQuery, answer: venueWeeksAnswer, answerName: 'VenueWeeksAnswer',
    run: (db, path, query) => weekVenues(db, path.week_ending, query),
  }),
  withProvenance({
    operationId: 'venueHistory', path: '/venues/{mpid}/history', summary: "A venue's (MPID's) weekly history",
    pathParams: { mpid: mpidSchema }, query: venueHistoryQuery, answer: venueWeeksAnswer, answerName: 'VenueWeeksAnswer',
    run: (db, path, query) => venueHistory(db, path.mpid, query),
  }),
  withProvenance({
    operationId: 'qualityChecks', path: '/quality', summary: 'The quality checks of the captures answers read',
    pathParams: {}, query: qualityQuery, answer: answerSchema(qualityCheckSchema), answerName: 'QualityChecksAnswer',
    run: (db, _path, query) => qualityChecks(db, query),
  }),
  withProvenance({
    operationId: 'anomalies', path: '/anomalies', summary: 'Anomalies: quality gate stops, quality warnings, freshness alerts, failures; newest first',
    pathParams: {}, query: anomaliesQuery, answer: answerSchema(anomalySchema), answerName: 'AnomaliesAnswer',
    run: (db, _path, query) => anomalies(db, query),
  }),
  withProvenance({
    operationId: 'listCaptures', path: '/captures', summary: 'Every capture (stored version) of the partitions in scope, on both clocks',
    pathParams: {}, query: capturesQuery, answer: answerSchema(captureRowSchema), answerName: 'CapturesAnswer',
    run: (db, _path, query) => captureList(db, query),
  }),
  withProvenance({
    operationId: 'revisionDiff', path: '/captures/{capture_id}/diff/{other_capture_id}',
    summary: 'What changed between two captures of a partition: lines added, removed and changed (symbol x MPID)',
    pathParams: { capture_id: captureIdSchema, other_capture_id: captureIdSchema }, query: diffQuery,
    answer: answerSchema(lineChangeSchema, { summary: diffSummarySchema }), answerName: 'RevisionDiffAnswer',
    run: (db, path, query) => revisionDiff(db, path.capture_id, path.other_capture_id, query),
  }),
];
