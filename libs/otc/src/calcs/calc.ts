import type { PoolClient, StageContext } from '@spine/platform';
import type { FileFormat } from '../file-format.ts';
import type { Readable } from 'node:stream';

export const DOMAIN = 'otc';
export const PIPELINE = 'otc_weekly';

/** Where the ingest calculation reads the week's bytes from: a local file, an S3 object, a FINRA answer. */
export interface WeekSource {
  uri: string;
  format: FileFormat;
  open(): Readable | Promise<Readable>;
}

export interface PipelineOptions {
  /** Reject share above which the week stops after ingest (the quality gate). */
  maxRejectShare: number;
  source?: WeekSource;
}

export interface CalcContext {
  client: PoolClient;
  stage: StageContext;
  calcName: string;
  calcVersion: number;
  options: PipelineOptions;
}

export interface CalcResult {
  rows: number;
  metrics?: Record<string, unknown>;
  gated?: boolean;
}

export type Calc = (ctx: CalcContext) => Promise<CalcResult>;

/**
 * The lineage and calculation stamp every derived row carries, as SQL parameters $1..$6 in this order:
 * capture_id, calc_name, calc_version, execution_id, batch_id, captured_at.
 */
export function stampParams(ctx: CalcContext): unknown[] {
  return [ctx.stage.key.captureId, ctx.calcName, ctx.calcVersion, ctx.stage.executionId, ctx.stage.batchId, ctx.stage.capturedAt];
}

export async function deleteCapture(ctx: CalcContext, table: string): Promise<void> {
  await ctx.client.query(`DELETE FROM ${table} WHERE capture_id = $1`, [ctx.stage.key.captureId]);
}
