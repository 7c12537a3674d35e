import { defineCalculation } from '@spine/platform/calcs/calculation-spec';
import { copyField, copyLine, copyRows } from '@spine/platform/db/copy';
import { InterleavedCopy } from '@spine/platform/db/interleaved-copy';
import { recordAnomaly } from '@spine/platform/quality/anomalies';
import { RejectSpool } from '@spine/platform/rejects';
import { lineBatches, type OverlongLine } from '@spine/platform/streams/line-batches';
import { detectFormat } from '../file-format.ts';
import { MAX_LINE_CHARS, validateLine, VerbatimLines, type OtcRecord, type VerbatimLine } from '../record-validator.ts';
import { rawLineExcerpt } from '../raw-line-excerpt.ts';
import { tierDescription, type Tier } from '../tiers.ts';
import type { VenueType } from '../venue-types.ts';
import { SymbolLineRuns } from '../symbol-line-runs.ts';
import { parseCount } from '../counts.ts';
import { SymbolWeekGroups, type AcceptedLine, type SymbolWeekRow } from '../symbol-week-results.ts';
import { VenueTotals } from '../venue-totals.ts';
import { DOMAIN, stampCapture, type Calc, type CalcContext, type WeekSource } from './calc.ts';

const CHUNK_CHARS = 64 * 1024;

/** Past this estimate the lines of a file out of FINRA's order are spilled to disk while they are grouped by symbol. */
export const GROUP_MEMORY_BYTES = 32 * 1024 * 1024;

const LINES_COPY = `COPY otc_week_lines (capture_key, line_number, symbol, issue_name, market_participant_name, mpid,
  total_volume, total_trades, source_last_update_date, firm_crd_number) FROM STDIN (DELIMITER '|')`;

const VENUES_COPY = 'COPY otc_week_venues (capture_key, mpid, market_participant_name, total_volume, total_trades, line_count) FROM STDIN';

const SYMBOLS_COPY = `COPY otc_week_symbols (capture_key, venue_count, total_volume, total_trades, avg_trade_size, liquidity_score, hhi,
  top_venue_share_pct, symbol, issue_name, top_mpid) FROM STDIN`;

/**
 * Bronze ingest: streams the week's lines, COPYs accepted rows into otc_week_lines (the rows of the otc_raw view)
 * and spools rejects; duplicate keys (all but the first line of each symbol x MPID) become DUPLICATE_KEY rejects.
 * Every data line ends in exactly one of otc_raw and core_rejects. The week's per-symbol results (SymbolWeekGroups)
 * come out of the same pass into otc_week_symbols, for the aggregate stage to stamp: for a file grouped by symbol
 * (FINRA's), while the lines stream past, holding one symbol, and COPYed between the lines' COPYs on the same
 * connection (InterleavedCopy), so the server writes them while the worker is still reading lines; for any other, from
 * the lines grouped by symbol in the worker (SymbolLineRuns, spilled to disk past `groupMemoryBytes`), once the lines'
 * COPY has ended. The week's totals per venue (VenueTotals) go to otc_week_venues for otc_venue_share, unless
 * duplicates were taken back out of the COPY or the totals were given up (see VenueTotals.gaveUp). Stops the week
 * (gated) when rejects exceed the configured share.
 */
export const rawIngest: Calc = async (ctx) => {
  const { client, stage, options } = ctx;
  const source = options.source;
  if (!source) throw new Error('ingest needs a week source');
  const key = stage.key;
  const tier = key.key1 as Tier;
  const captureKey = await stampCapture(ctx);
  // What an earlier ingest of the capture wrote, in one round trip.
  await client.query(
    `WITH lines AS (DELETE FROM otc_week_lines WHERE capture_key = $1),
          symbols AS (DELETE FROM otc_week_symbols WHERE capture_key = $1),
          venues AS (DELETE FROM otc_week_venues WHERE capture_key = $1)
     DELETE FROM core_rejects WHERE capture_id = $2 AND stage = 'ingest'`,
    [captureKey, key.captureId]);

  const venueType = key.key2 as VenueType;
  const expected = { tier, weekEnding: key.periodEnd, venueType };
  const spool = new RejectSpool({ domain: DOMAIN, periodEnd: key.periodEnd, key1: tier, key2: venueType, captureId: key.captureId, stage: 'ingest',
    executionId: stage.executionId, batchId: stage.batchId, capturedAt: stage.capturedAt });
  let dataLines = 0;
  let blankLines = 0;
  // The newest lastUpdateDate of the lines COPYed (ISO dates compare as text), for otc_source_dates.
  let newestDate: string | null = null;
  // Week, tier, venue type and lineage are the capture's (core_captures, core_calc_lineage): a row carries its key.
  const head = `${captureKey}|`;
  const symbolHead = `${captureKey}\t`;
  // Lines as FINRA writes them are taken as they are; any other is validated field by field.
  const verbatim = new VerbatimLines(source.format, expected);
  const tierText = tierDescription(tier);
  // In FINRA's order duplicate keys and per-symbol rows are found in the stream. From the first line out of that
  // order on, the lines are grouped instead (`runs`), and the per-symbol rows sent until then are taken back.
  const groups = new SymbolWeekGroups();
  let runs: SymbolLineRuns | undefined;
  const venues = new VenueTotals();
  const copy = new InterleavedCopy(client, { lines: LINES_COPY, symbols: SYMBOLS_COPY },
    options.copyQueueBytes === undefined ? {} : { maxQueuedBytes: options.copyQueueBytes });
  let symbolChunk = '';
  const addSymbol = (row: SymbolWeekRow | undefined) => {
    if (row) symbolChunk += symbolCopyRow(symbolHead, row);
  };

  async function readWeek(): Promise<void> {
    let chunk = '';
    for await (const { first, lines } of weekLines(source!)) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        const lineNumber = first + i;
        if (typeof line === 'string' && line.trim() === '') {
          blankLines += 1;
          continue;
        }
        dataLines += 1;
        const asWritten = verbatim.match(line);
        let r: OtcRecord;
        if (asWritten) {
          r = asWritten;
        } else {
          const verdict = validateLine(line, source!.format, expected);
          if (!verdict.ok) {
            await spool.add({ lineNumber, reasonCode: verdict.code, reasonDetail: verdict.detail, rawLine: rawLineExcerpt(line) });
            continue;
          }
          r = verdict.record;
        }
        const accepted = acceptedLine(lineNumber, r);
        if (runs) {
          runs.add(accepted);
        } else {
          const grouping = groups.add(accepted);
          if ('duplicateOf' in grouping) {
            await spool.add({ lineNumber, reasonCode: 'DUPLICATE_KEY', reasonDetail: `duplicate of line ${grouping.duplicateOf} for ${r.symbol} x ${r.mpid}`,
              rawLine: [tierText, r.symbol, r.issueName, r.marketParticipantName, r.mpid, accepted.shares, accepted.trades, r.lastUpdateDate].filter((f) => f !== null).join('|') });
            continue;
          }
          addSymbol(grouping.finished);
          if (!groups.grouped) {
            runs = await groupedFrom(lineNumber);
            runs.add(accepted);
            symbolChunk = '';
            copy.discard('symbols');
          }
        }
        if (r.lastUpdateDate !== null && (newestDate === null || r.lastUpdateDate > newestDate)) newestDate = r.lastUpdateDate;
        venues.add(r.mpid, r.marketParticipantName, accepted.shares, accepted.trades);
        // A line as FINRA writes it is its own row from the symbol on. Symbol and MPID passed the validator's patterns,
        // which leave nothing to escape; no field holds the delimiter, which the line was split on.
        chunk += asWritten ? `${head}${lineNumber}|${(line as string).slice(asWritten.symbolAt)}|\\N\n`
          : `${head}${lineNumber}|${r.symbol}|${copyField(r.issueName)}|${copyField(r.marketParticipantName)}|${r.mpid}|${r.shares}|${r.trades}|` +
            `${r.lastUpdateDate ?? '\\N'}|${r.firmCrdNumber ?? '\\N'}\n`;
      }
      if (runs?.full) await runs.spill();
      if (symbolChunk.length >= CHUNK_CHARS) {
        await copy.write('symbols', symbolChunk);
        symbolChunk = '';
      }
      if (chunk.length >= CHUNK_CHARS) {
        await copy.write('lines', chunk);
        chunk = '';
      }
    }
    if (!runs) addSymbol(groups.finish());
    await copy.write('symbols', symbolChunk);
    await copy.write('lines', chunk);
  }

  /**
   * The lines before the first one out of order, read again, start the grouped lines. Their duplicates, rejected in
   * the stream and never COPYed, are found again when the groups are read, and there is nothing to take back.
   */
  async function groupedFrom(firstOutOfOrder: number): Promise<SymbolLineRuns> {
    const grouped = new SymbolLineRuns(options.groupMemoryBytes ?? GROUP_MEMORY_BYTES);
    for await (const { first, lines } of weekLines(source!, firstOutOfOrder)) {
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (typeof line === 'string' && line.trim() === '') continue;
        const verdict = verbatim.match(line) ?? validateLine(line, source!.format, expected);
        const record = 'ok' in verdict ? (verdict.ok ? verdict.record : undefined) : verdict;
        if (record) grouped.add(acceptedLine(first + i, record));
      }
      if (grouped.full) await grouped.spill();
    }
    return grouped;
  }

  try {
    try {
      await readWeek();
    } catch (error) {
      await copy.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    const counted = await copy.end();
    const copied = counted.lines;
    await spool.flush(client);
    let duplicates = 0;
    let symbols: number;
    if (runs) {
      // Rows of the symbols before the first line out of order: incomplete, since their lines may come later.
      if (counted.symbols > 0) await client.query('DELETE FROM otc_week_symbols WHERE capture_key = $1', [captureKey]);
      const duplicateSymbols = new Set<string>();
      symbols = await copyRows(client, SYMBOLS_COPY, symbolRowsOf(runs, symbolHead, duplicateSymbols));
      // Duplicates of a line the stream had already passed on to the COPY: taken back out of it.
      if (duplicateSymbols.size > 0) duplicates = await moveDuplicates(ctx, captureKey, tierText, [...duplicateSymbols]);
    } else {
      symbols = counted.symbols;
    }
    const accepted = copied - duplicates;
    // The totals count every line COPYed: they are the stored lines' only while none was taken back.
    const venueRows = duplicates === 0 && !venues.gaveUp
      ? await copyRows(client, VENUES_COPY, venues.rows().map((t) => copyLine([captureKey, t.mpid, t.marketParticipantName, t.volume, t.trades, t.lines])))
      : undefined;
    const streamDuplicates = spool.byReason.DUPLICATE_KEY ?? 0;
    const byReason = { ...spool.byReason, ...(streamDuplicates + duplicates > 0 ? { DUPLICATE_KEY: streamDuplicates + duplicates } : {}) };
    const rejected = spool.count + duplicates;
    const rejectShare = dataLines === 0 ? 0 : rejected / dataLines;
    const metrics = { data_lines: dataLines, accepted, rejected, rejects_by_reason: byReason, blank_lines: blankLines, reject_share: rejectShare,
      grouped_by_symbol: groups.grouped, symbol_pass: runs ? 'grouped' : 'stream', ...(runs ? { symbol_runs_spilled: runs.spilled } : {}), symbols,
      ...(venueRows === undefined ? {} : { venues: venueRows }),
      // Duplicates taken back out of the COPY may have held the newest date: then otc_source_dates reads the lines.
      ...(duplicates === 0 ? { newest_last_update_date: newestDate } : {}) };
    const gated = rejectShare > options.maxRejectShare;
    if (gated) {
      await recordAnomaly(client, {
        domain: DOMAIN, category: 'QUALITY_GATE', severity: 'ERROR', periodEnd: key.periodEnd, key1: tier, key2: venueType, captureId: key.captureId,
        message: `${tier} ${venueType} ${key.periodEnd}: ${rejected} of ${dataLines} lines rejected (${(rejectShare * 100).toFixed(2)}% > ` +
          `${(options.maxRejectShare * 100).toFixed(2)}%); stopped before normalize`,
        detail: metrics, executionId: stage.executionId, batchId: stage.batchId,
      });
    }
    return { rows: accepted, metrics, gated };
  } finally {
    await spool.dispose();
    await runs?.dispose();
  }
};

/** Lines of a week file as they were read, numbered from `first` (the file's first line is number 1). */
interface NumberedLines {
  first: number;
  lines: (string | OverlongLine)[];
}

/**
 * The data lines of the week's source, one batch per chunk read (the header, line 1, is checked and left out); with
 * `before`, only the lines numbered below it. The source is released however the reading ends, e.g. an S3
 * response's socket on a COPY error or a wrong header.
 */
async function* weekLines(source: WeekSource, before = Infinity): AsyncGenerator<NumberedLines> {
  const input = await source.open();
  try {
    let next = 1;
    for await (const batch of lineBatches(input, MAX_LINE_CHARS)) {
      let numbered: NumberedLines = { first: next, lines: batch };
      next += batch.length;
      if (numbered.first === 1) {
        const header = batch[0];
        if (typeof header !== 'string' || detectFormat(header) !== source.format) throw new Error(`${source.uri}: header is not the ${source.format} format header`);
        numbered = { first: 2, lines: batch.slice(1) };
      }
      if (next > before) numbered.lines = numbered.lines.slice(0, Math.max(0, before - numbered.first));
      yield numbered;
      if (next >= before) return;
    }
  } finally {
    input.destroy();
  }
}

/** A line as the symbol pass takes it; a line taken as written brings its counts read already. */
function acceptedLine(lineNumber: number, r: OtcRecord | VerbatimLine): AcceptedLine {
  return { lineNumber, symbol: r.symbol, mpid: r.mpid, issueName: r.issueName, shares: 'shareCount' in r ? r.shareCount : parseCount(r.shares),
    trades: 'tradeCount' in r ? r.tradeCount : parseCount(r.trades) };
}

function symbolCopyRow(head: string, row: SymbolWeekRow): string {
  return `${head}${row.venueCount}\t${row.totalVolume}\t${row.totalTrades}\t${row.avgTradeSize}\t${row.liquidityScore}\t` +
    `${row.hhi ?? '\\N'}\t${row.topVenueSharePct ?? '\\N'}\t${row.symbol}\t${copyField(row.issueName)}\t${row.topMpid}\n`;
}

/** The per-symbol rows of the lines held by `runs`, as COPY text; see SymbolLineRuns.symbolWeeks for `duplicateSymbols`. */
async function* symbolRowsOf(runs: SymbolLineRuns, head: string, duplicateSymbols: Set<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const rows of runs.symbolWeeks(duplicateSymbols)) {
    for (const row of rows) chunk += symbolCopyRow(head, row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * Keeps the first line of each (symbol, mpid) of `symbols` and moves the later ones to core_rejects as DUPLICATE_KEY:
 * for a file out of FINRA's order, whose duplicates the stream had passed on to the COPY before its lines were grouped.
 * The ordered window pass sorts only those symbols' lines, not the whole capture.
 */
async function moveDuplicates(ctx: CalcContext, captureKey: number, tierText: string, symbols: string[]): Promise<number> {
  const { client, stage } = ctx;
  const key = stage.key;
  const { rowCount } = await client.query(
    `WITH ranked AS (
       SELECT line_number, first_value(line_number) OVER w AS first_line, row_number() OVER w AS rn
         FROM otc_week_lines WHERE capture_key = $1 AND symbol = ANY($3)
       WINDOW w AS (PARTITION BY symbol, mpid ORDER BY line_number)),
     moved AS (
       DELETE FROM otc_week_lines r USING ranked d
        WHERE r.capture_key = $1 AND r.line_number = d.line_number AND d.rn > 1
       RETURNING r.*, d.first_line)
     INSERT INTO core_rejects (domain, period_end, key_1, key_2, capture_id, stage, line_number, reason_code, reason_detail,
       raw_line, execution_id, batch_id, captured_at)
     SELECT '${DOMAIN}', $4, $5, $6, $7, 'ingest', line_number, 'DUPLICATE_KEY',
            'duplicate of line ' || first_line || ' for ' || symbol || ' x ' || mpid,
            concat_ws('|', $2::text, symbol, issue_name, market_participant_name, mpid, total_volume, total_trades, source_last_update_date),
            $8, $9, $10
       FROM moved`,
    [captureKey, tierText, symbols, key.periodEnd, key.key1, key.key2, key.captureId, stage.executionId,
      stage.batchId, stage.capturedAt],
  );
  return rowCount ?? 0;
}

export const rawIngestSpec = defineCalculation({
  name: 'otc_raw', version: 'v1.0', stage: 'ingest',
  lineage: { inputs: ['core_raw_files'], output: 'otc_raw' },
  dependencies: { dependsOn: [], weeksRequired: 1 },
  behaviour: { isBreaking: false, replaces: null },
  documentation: {
    description: 'Bronze: every data line of the week file, accepted as typed rows or rejected with a reason code; the quality gate stops the week when rejects pass the allowed share.',
    assumptions: ['The file holds one week, tier and venue type, as FINRA writes it', 'The first line of a symbol x MPID wins; later ones are DUPLICATE_KEY rejects'],
  },
  // Every line is accepted or rejected: the line-accounting quality check counts them, so no row count of its own.
  validation: { outputColumns: ['line_number', 'symbol', 'mpid', 'total_weekly_share_quantity', 'total_weekly_trade_count'], rowKey: ['line_number'], expectedRows: null },
});
