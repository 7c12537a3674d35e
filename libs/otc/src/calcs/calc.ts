import { stampVersionLineage } from '@spine/platform/calcs/calc-versions';
import { stampCalcLineage, type CalcStamp } from '@spine/platform/lineage/calc-lineage';
import type { PoolClient } from '@spine/platform/db/pool';
import type { StageOptions } from '@spine/platform/dataset/dataset-definition';
import type { StageContext } from '@spine/platform/stage-runner';
import type { FileFormat } from '../file-format.ts';
import type { Readable } from 'node:stream';

export { DOMAIN, PIPELINE } from '../domain.ts';

/** Where the ingest calculation reads the week's bytes from: a local file, an S3 object, a FINRA answer. */
export interface WeekSource {
  uri: string;
  format: FileFormat;
  open(): Readable | Promise<Readable>;
}

/** The platform's stage options, the source recognised as an OTC file. */
export type PipelineOptions = Omit<StageOptions, 'source'> & { source?: WeekSource };

export interface CalcContext {
  client: PoolClient;
  stage: StageContext;
  calcName: string;
  calcVersion: number;
  /** A version the contract view does not serve, run beside the current one (spine calcs run): its lineage is kept apart. */
  sideBySide: boolean;
  options: PipelineOptions;
  /**
   * What the calculations that ran before this one in the same stage returned, by name; absent or without a name
   * when a calculation runs alone (spine calcs run), so a figure taken from it needs a fallback.
   */
  earlier?: Readonly<Record<string, CalcResult>>;
}

export interface CalcResult {
  rows: number;
  metrics?: Record<string, unknown>;
  gated?: boolean;
}

export type Calc = (ctx: CalcContext) => Promise<CalcResult>;

export function calcStamp(ctx: CalcContext): CalcStamp {
  return { calcName: ctx.calcName, calcVersion: ctx.calcVersion, executionId: ctx.stage.executionId, batchId: ctx.stage.batchId, capturedAt: ctx.stage.capturedAt };
}

/**
 * Stamps this calculation's lineage on the running capture (see stampCalcLineage), or, for a version run side by
 * side, that version's own lineage (stampVersionLineage); returns the capture's capture_key.
 */
export async function stampCapture(ctx: CalcContext): Promise<number> {
  const stamp = ctx.sideBySide ? stampVersionLineage : stampCalcLineage;
  const [captureKey] = await stamp(ctx.client, [ctx.stage.key.captureId], calcStamp(ctx));
  return captureKey!;
}

/** What the capture's ingest recorded in its manifest metrics (see rawIngest); empty before a completed ingest. */
export interface IngestFigures {
  accepted?: number;
  symbols?: number;
  /** The rows ingest wrote to otc_week_venues; absent when it wrote none for otc_venue_share to read. */
  venues?: number;
  grouped_by_symbol?: boolean;
  /** How ingest computed the per-symbol rows: in the stream (FINRA's order) or from the lines grouped by symbol. */
  symbol_pass?: 'stream' | 'grouped';
}

/**
 * Read once a stage, for all its calculations and their row checks: ingest's manifest entry commits with the ingest
 * stage, so it cannot change while another stage's transaction runs (nor, within the ingest stage, before it ends).
 */
const figuresOfStage = new WeakMap<StageContext, Promise<IngestFigures>>();

export function ingestFigures(ctx: CalcContext): Promise<IngestFigures> {
  let figures = figuresOfStage.get(ctx.stage);
  if (figures === undefined) {
    figures = readIngestFigures(ctx);
    figuresOfStage.set(ctx.stage, figures);
  }
  return figures;
}

async function readIngestFigures(ctx: CalcContext): Promise<IngestFigures> {
  const { rows } = await ctx.client.query<{ figures: IngestFigures | null }>(
    `SELECT metrics->'otc_raw' AS figures FROM core_manifest WHERE capture_id = $1 AND stage = 'ingest' AND status = 'completed'`,
    [ctx.stage.key.captureId]);
  return rows[0]?.figures ?? {};
}
