import { copyField, copyRows } from '@spine/platform/db/copy';
import { recordAnomaly } from '@spine/platform/quality/anomalies';
import { RejectSpool } from '@spine/platform/rejects';
import { CopySpool } from '@spine/platform/storage/copy-spool';
import { lineBatches } from '@spine/platform/streams/line-batches';
import { detectFormat } from '../file-format.ts';
import { MAX_LINE_CHARS, validateLine } from '../record-validator.ts';
import { rawLineExcerpt } from '../raw-line-excerpt.ts';
import { tierDescription, type Tier } from '../tiers.ts';
import type { VenueType } from '../venue-types.ts';
import { SymbolWeekGroups, type SymbolWeekRow } from '../symbol-week-results.ts';
import { DOMAIN, stampCapture, type Calc, type CalcContext } from './calc.ts';

const CHUNK_CHARS = 64 * 1024;

/**
 * Bronze ingest: streams the week's lines, COPYs accepted rows into otc_week_lines (the rows of the otc_raw view)
 * and spools rejects; duplicate keys (all but the first line of each symbol x MPID) become DUPLICATE_KEY rejects.
 * Every data line ends in exactly one of otc_raw and core_rejects. When the file is grouped by symbol, the week's
 * per-symbol results come out of the same pass (SymbolWeekGroups) into otc_week_symbols, for the aggregate stage
 * to stamp. Stops the week (gated) when rejects exceed the configured share.
 */
export const rawIngest: Calc = async (ctx) => {
  const { client, stage, options } = ctx;
  const source = options.source;
  if (!source) throw new Error('ingest needs a week source');
  const key = stage.key;
  const tier = key.tier as Tier;
  const captureKey = await stampCapture(ctx);
  await client.query('DELETE FROM otc_week_lines WHERE capture_key = $1', [captureKey]);
  await client.query('DELETE FROM otc_week_symbols WHERE capture_key = $1', [captureKey]);
  await client.query(`DELETE FROM core_rejects WHERE capture_id = $1 AND stage = 'ingest'`, [key.captureId]);

  const venueType = key.venueType as VenueType;
  const spool = new RejectSpool({ domain: DOMAIN, weekEnding: key.weekEnding, tier, venueType, captureId: key.captureId, stage: 'ingest',
    executionId: stage.executionId, batchId: stage.batchId, capturedAt: stage.capturedAt });
  let dataLines = 0;
  let blankLines = 0;
  // Week, tier, venue type and lineage are the capture's (core_captures, core_calc_lineage): a row carries its key.
  const head = `${captureKey}\t`;
  const tierText = tierDescription(tier);
  // A file grouped by symbol (FINRA's) has its duplicate keys and per-symbol results found here, in the stream; the
  // rows wait in a spool for the lines' COPY to end. Otherwise SQL finds the rest of them after the COPY.
  const groups = new SymbolWeekGroups();
  const symbolRows = new CopySpool('symbol-week', `COPY otc_week_symbols (capture_key, venue_count, total_volume, total_trades,
    avg_trade_size, liquidity_score, hhi, top_venue_share_pct, symbol, issue_name, top_mpid) FROM STDIN`);
  let symbolChunk = '';
  const addSymbol = (row: SymbolWeekRow | undefined) => {
    if (!row) return;
    symbolChunk += `${head}${row.venueCount}\t${row.totalVolume}\t${row.totalTrades}\t${row.avgTradeSize}\t${row.liquidityScore}\t` +
      `${row.hhi ?? '\\N'}\t${row.topVenueSharePct ?? '\\N'}\t${row.symbol}\t${copyField(row.issueName)}\t${row.topMpid}\n`;
  };

  async function* acceptedRows(): AsyncGenerator<string> {
    const input = await source!.open();
    try {
      let lineNumber = 0;
      let chunk = '';
      for await (const batch of lineBatches(input, MAX_LINE_CHARS)) {
        for (const line of batch) {
          lineNumber += 1;
          if (lineNumber === 1) {
            if (typeof line !== 'string' || detectFormat(line) !== source!.format) throw new Error(`${source!.uri}: header is not the ${source!.format} format header`);
            continue;
          }
          if (typeof line === 'string' && line.trim() === '') {
            blankLines += 1;
            continue;
          }
          dataLines += 1;
          const verdict = validateLine(line, source!.format, { tier, weekEnding: key.weekEnding, venueType });
          if (!verdict.ok) {
            await spool.add({ lineNumber, reasonCode: verdict.code, reasonDetail: verdict.detail, rawLine: rawLineExcerpt(line) });
            continue;
          }
          const r = verdict.record;
          const shares = BigInt(r.shares);
          const trades = BigInt(r.trades);
          const grouping = groups.add({ lineNumber, symbol: r.symbol, mpid: r.mpid, issueName: r.issueName, shares, trades });
          if ('duplicateOf' in grouping) {
            await spool.add({ lineNumber, reasonCode: 'DUPLICATE_KEY', reasonDetail: `duplicate of line ${grouping.duplicateOf} for ${r.symbol} x ${r.mpid}`,
              rawLine: [tierText, r.symbol, r.issueName, r.marketParticipantName, r.mpid, shares, trades, r.lastUpdateDate].filter((f) => f !== null).join('|') });
            continue;
          }
          addSymbol(grouping.finished);
          // Symbol and MPID passed the validator's patterns, which leave nothing to escape.
          chunk += `${head}${lineNumber}\t${r.symbol}\t${copyField(r.issueName)}\t${copyField(r.marketParticipantName)}\t` +
            `${r.mpid}\t${r.firmCrdNumber ?? '\\N'}\t${r.shares}\t${r.trades}\t${r.lastUpdateDate ?? '\\N'}\n`;
        }
        if (symbolChunk.length >= CHUNK_CHARS) {
          await symbolRows.write(symbolChunk);
          symbolChunk = '';
        }
        if (chunk.length >= CHUNK_CHARS) {
          yield chunk;
          chunk = '';
        }
      }
      addSymbol(groups.finish());
      if (symbolChunk) await symbolRows.write(symbolChunk);
      if (chunk) yield chunk;
    } finally {
      // An early exit (COPY error, wrong header) must release the source, e.g. an S3 response's socket.
      input.destroy();
    }
  }

  try {
    const copied = await copyRows(client, `COPY otc_week_lines (capture_key, line_number, symbol, issue_name,
      market_participant_name, mpid, firm_crd_number, total_volume, total_trades, source_last_update_date) FROM STDIN`, acceptedRows());
    await spool.flush(client);
    const duplicates = groups.grouped ? 0 : await moveDuplicates(ctx, captureKey, tierText);
    const symbols = groups.grouped ? await symbolRows.flush(client) : 0;
    const accepted = copied - duplicates;
    const streamDuplicates = spool.byReason.DUPLICATE_KEY ?? 0;
    const byReason = { ...spool.byReason, ...(streamDuplicates + duplicates > 0 ? { DUPLICATE_KEY: streamDuplicates + duplicates } : {}) };
    const rejected = spool.count + duplicates;
    const rejectShare = dataLines === 0 ? 0 : rejected / dataLines;
    const metrics = { data_lines: dataLines, accepted, rejected, rejects_by_reason: byReason, blank_lines: blankLines, reject_share: rejectShare,
      grouped_by_symbol: groups.grouped, symbols };
    const gated = rejectShare > options.maxRejectShare;
    if (gated) {
      await recordAnomaly(client, {
        domain: DOMAIN, category: 'QUALITY_GATE', severity: 'ERROR', weekEnding: key.weekEnding, tier, venueType, captureId: key.captureId,
        message: `${tier} ${venueType} ${key.weekEnding}: ${rejected} of ${dataLines} lines rejected (${(rejectShare * 100).toFixed(2)}% > ` +
          `${(options.maxRejectShare * 100).toFixed(2)}%); stopped before normalize`,
        detail: metrics, executionId: stage.executionId, batchId: stage.batchId,
      });
    }
    return { rows: accepted, metrics, gated };
  } finally {
    await spool.dispose();
    await symbolRows.dispose();
  }
};

/**
 * Keeps the first line of each (symbol, mpid) and moves the later ones to core_rejects as DUPLICATE_KEY: for a file
 * not grouped by symbol, whose duplicates the stream could not all see.
 */
async function moveDuplicates(ctx: CalcContext, captureKey: number, tierText: string): Promise<number> {
  const { client, stage } = ctx;
  const key = stage.key;
  // Most weeks have few duplicates or none: one hash aggregate finds their symbols, and the ordered window pass
  // below sorts only those symbols' lines instead of the whole capture.
  const { rows: found } = await client.query<{ symbol: string }>(
    `SELECT DISTINCT symbol FROM otc_week_lines WHERE capture_key = $1 GROUP BY symbol, mpid HAVING count(*) > 1`, [captureKey]);
  if (found.length === 0) return 0;
  const { rowCount } = await client.query(
    `WITH ranked AS (
       SELECT line_number, first_value(line_number) OVER w AS first_line, row_number() OVER w AS rn
         FROM otc_week_lines WHERE capture_key = $1 AND symbol = ANY($3)
       WINDOW w AS (PARTITION BY symbol, mpid ORDER BY line_number)),
     moved AS (
       DELETE FROM otc_week_lines r USING ranked d
        WHERE r.capture_key = $1 AND r.line_number = d.line_number AND d.rn > 1
       RETURNING r.*, d.first_line)
     INSERT INTO core_rejects (domain, week_ending, tier, venue_type, capture_id, stage, line_number, reason_code, reason_detail,
       raw_line, execution_id, batch_id, captured_at)
     SELECT '${DOMAIN}', $4, $5, $6, $7, 'ingest', line_number, 'DUPLICATE_KEY',
            'duplicate of line ' || first_line || ' for ' || symbol || ' x ' || mpid,
            concat_ws('|', $2::text, symbol, issue_name, market_participant_name, mpid, total_volume, total_trades, source_last_update_date),
            $8, $9, $10
       FROM moved`,
    [captureKey, tierText, found.map((f) => f.symbol), key.weekEnding, key.tier, key.venueType, key.captureId, stage.executionId,
      stage.batchId, stage.capturedAt],
  );
  return rowCount ?? 0;
}
