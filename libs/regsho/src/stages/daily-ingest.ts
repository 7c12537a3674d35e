import type { PoolClient } from '@spine/platform/db/pool';
import { copyRows } from '@spine/platform/db/copy';
import type { RawSource } from '@spine/platform/dataset/dataset-definition';
import { stampCalcLineage } from '@spine/platform/lineage/calc-lineage';
import { recordAnomaly } from '@spine/platform/quality/anomalies';
import { RejectSpool } from '@spine/platform/rejects';
import type { StageContext, StageOutcome } from '@spine/platform/stage-runner';
import { lineBatches, OverlongLine } from '@spine/platform/streams/line-batches';
import { DailyFileError, DailyFileReader, MAX_LINE_CHARS } from '../daily-file.ts';
import { DOMAIN } from '../domain.ts';
import { parseMarketCode } from '../facilities.ts';
import { storeDailyQualityChecks } from '../quality-checks.ts';

/** The calculation ingest runs: its lineage row publishes a capture's lines (regsho_daily_volume and every view over it). */
export const DAILY_VOLUME_CALC = 'regsho_daily_volume';

const CHUNK_CHARS = 64 * 1024;
/** A rejected line is kept up to this many characters in core_rejects. */
const RAW_LINE_CHARS = 300;

export interface IngestOptions {
  source?: RawSource;
  /** Reject share above which the capture is not published (the quality gate). */
  maxRejectShare: number;
}

/** A file that cannot be loaded as the partition it was fetched for, with the source it came from. */
export class DailyFileLoadError extends Error {
  override readonly name = 'DailyFileLoadError';
  constructor(readonly uri: string, readonly problem: DailyFileError) {
    super(`${uri}: ${problem.message}`, { cause: problem });
  }
}

/**
 * Ingest of one facility's daily file: streams its lines through DailyFileReader (header, facility, trailer count),
 * COPYs accepted lines into regsho_daily_lines and spools rejected ones into core_rejects. A file that is not the
 * partition's (another layout, facility or a consolidated file) or whose trailer disagrees with its lines fails the
 * stage whole, and its COPY rolls back with it. The capture is published (its lineage row written) only when the
 * reject share stays within the gate; past it the stage is gated and an anomaly says why, and the facility's previous
 * capture stays the one readers see. Its quality checks (quality-checks.ts) are stored either way. Re-running a
 * capture replaces its rows.
 */
export async function ingestDailyFile(client: PoolClient, stage: StageContext, calcVersion: number, options: IngestOptions): Promise<StageOutcome> {
  const { source } = options;
  if (!source) throw new Error(`ingest of ${stage.key.captureId} needs the capture's daily file as its source`);
  const key = stage.key;
  const marketCode = parseMarketCode(key.key1);
  if (!marketCode) throw new Error(`${key.captureId}: "${key.key1}" is not a market code`);
  const { rows: [capture] } = await client.query<{ capture_key: number }>('SELECT capture_key FROM core_captures WHERE capture_id = $1', [key.captureId]);
  if (!capture) throw new Error(`capture ${key.captureId} is not in core_captures`);
  const captureKey = capture.capture_key;
  await client.query('DELETE FROM regsho_daily_lines WHERE capture_key = $1', [captureKey]);
  await client.query(`DELETE FROM core_calc_lineage WHERE capture_key = $1 AND calc_name = $2`, [captureKey, DAILY_VOLUME_CALC]);
  await client.query(`DELETE FROM core_rejects WHERE capture_id = $1 AND stage = 'ingest'`, [key.captureId]);

  const reader = new DailyFileReader({ tradeDate: key.periodEnd, marketCode });
  const spool = new RejectSpool({ domain: DOMAIN, periodEnd: key.periodEnd, key1: key.key1, key2: key.key2, captureId: key.captureId,
    stage: 'ingest', executionId: stage.executionId, batchId: stage.batchId, capturedAt: stage.capturedAt });
  let records = 0;

  async function* acceptedRows(): AsyncGenerator<string> {
    let chunk = '';
    let lineNumber = 0;
    const input = await source!.open();
    try {
      for await (const batch of lineBatches(input, MAX_LINE_CHARS)) {
        for (const line of batch) {
          lineNumber += 1;
          // An overlong line is rejected by its length; its head is enough to say so.
          const text = line instanceof OverlongLine ? line.head.padEnd(MAX_LINE_CHARS + 1, ' ') : line;
          const seen = reader.line(text, lineNumber);
          if (!seen) continue;
          records += 1;
          const { verdict } = seen;
          if (!verdict.ok) {
            await spool.add({ lineNumber: seen.lineNumber, reasonCode: verdict.code, reasonDetail: verdict.detail, rawLine: seen.raw.slice(0, RAW_LINE_CHARS).trimEnd() });
            continue;
          }
          // The symbol passed the reader's pattern and the volumes its decimal one: nothing in them needs escaping.
          const r = verdict.record;
          chunk += `${captureKey}\t${seen.lineNumber}\t${r.shortVolume}\t${r.shortExemptVolume}\t${r.totalVolume}\t${r.symbol}\n`;
        }
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      reader.end();
      if (chunk) yield chunk;
    } finally {
      input.destroy();
    }
  }

  try {
    let accepted: number;
    try {
      accepted = await copyRows(client, 'COPY regsho_daily_lines (capture_key, line_number, short_volume, short_exempt_volume, total_volume, symbol) FROM STDIN', acceptedRows());
    } catch (error) {
      if (error instanceof DailyFileError) throw new DailyFileLoadError(source.uri, error);
      throw error;
    }
    await spool.flush(client);
    const rejected = spool.count;
    const rejectShare = records === 0 ? 0 : rejected / records;
    const checks = await storeDailyQualityChecks(client, key, stage, captureKey, records);
    const metrics = { records, accepted, rejected, rejects_by_reason: spool.byReason, reject_share: rejectShare, checks: Object.fromEntries(checks.map((q) => [q.checkName, q.status])) };
    if (rejectShare > options.maxRejectShare) {
      await recordAnomaly(client, {
        domain: DOMAIN, category: 'QUALITY_GATE', severity: 'ERROR', periodEnd: key.periodEnd, key1: key.key1, key2: key.key2, captureId: key.captureId,
        message: `${key.key1} ${key.periodEnd}: ${rejected} of ${records} lines rejected (${(rejectShare * 100).toFixed(2)}% > ` +
          `${(options.maxRejectShare * 100).toFixed(2)}%); not published`,
        detail: metrics, executionId: stage.executionId, batchId: stage.batchId,
      });
      return { status: 'gated', rowCount: accepted, metrics: { [DAILY_VOLUME_CALC]: metrics } };
    }
    await stampCalcLineage(client, [key.captureId], { calcName: DAILY_VOLUME_CALC, calcVersion, executionId: stage.executionId, batchId: stage.batchId, capturedAt: stage.capturedAt });
    return { status: 'completed', rowCount: accepted, metrics: { [DAILY_VOLUME_CALC]: metrics } };
  } finally {
    await spool.dispose();
  }
}
