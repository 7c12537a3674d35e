import type { Pool } from '@spine/platform/db/pool';
import { InputError } from '@spine/platform/errors';
import { BATCH_ROWS } from '@spine/platform/research/export-stream';
import { inExportSnapshot, lineageOf, streamCaptureRows } from './export.ts';
import { openTableFile, type DownloadSink } from '@spine/platform/research/export-files';
import { EXPORT_TABLES, PARTITION_COLUMNS } from './export-tables.ts';
import { FINRA_ATTRIBUTION } from './provenance.ts';
import type { DownloadRequest } from './request-schemas.ts';

/**
 * One table of `spine export` for the captures a question selects, as one file (the dashboard's downloads of a
 * symbol or a week): the partition as columns (week_ending, tier, venue_type), then the table's own and its lineage,
 * oldest week first; only `symbol`'s rows when given. Read in one snapshot from a cursor and written in row groups of
 * up to BATCH_ROWS, with the sink drained between them, so memory stays flat however long the file.
 * Returns the rows written; a table without symbols asked for a symbol is the asker's error.
 */
export async function downloadTable(pool: Pool, request: DownloadRequest, sink: DownloadSink): Promise<{ rows: number }> {
  const table = EXPORT_TABLES[request.table];
  if (request.symbol !== undefined && !table.bySymbol) throw new InputError(`table: ${request.table} has no symbol column; a symbol's download offers symbol_summary and venue_volume`);
  const scope = {
    tiers: request.tier ? [request.tier] : undefined, venueTypes: request.venue_type, from: request.from, to: request.to,
    as_of_published: request.as_of_published, as_of_captured: request.as_of_captured,
  };
  const encoder = await openTableFile(request.format, sink, [...PARTITION_COLUMNS, ...table.columns], FINRA_ATTRIBUTION);
  // Rows of several captures share a row group, so each row carries its capture's partition and lineage.
  let names: string[] = [];
  let pending: unknown[][] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    encoder.write({ names, rows: pending, constants: {} });
    pending = [];
    await sink.drained();
  };
  const rows = await inExportSnapshot(pool, scope, async (client, captures) => {
    let total = 0;
    for (const capture of captures) {
      const own = { week_ending: capture.week_ending, tier: capture.tier, venue_type: capture.venue_type, ...lineageOf(capture) };
      total += await streamCaptureRows(client, table, capture, request.symbol, async (fields, batch) => {
        names = [...fields, ...Object.keys(own)];
        const values = Object.values(own);
        for (const row of batch) pending.push([...row, ...values]);
        if (pending.length >= BATCH_ROWS) await flush();
      });
    }
    return total;
  });
  await flush();
  encoder.finish();
  return { rows };
}
