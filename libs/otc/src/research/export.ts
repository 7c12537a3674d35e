import { to as copyTo } from 'pg-copy-streams';
import type { Pool, PoolClient } from '@spine/platform/db/pool';
import { DOMAIN } from '../domain.ts';
import { isoInstant, selectedCaptures, type CaptureScope } from './capture-selection.ts';
import { openTableFile } from '@spine/platform/research/export-files';
import type { ExportProgress } from '@spine/platform/research/research-module';
import { EXPORT_TABLES, LINEAGE_COLUMNS, type ExportTable } from './export-tables.ts';
import { directoryTarget, type ExportTarget, type TargetFile } from '@spine/platform/research/export-targets';
import { FINRA_ATTRIBUTION, provenanceOf } from './provenance.ts';
import type { ExportRequest } from './request-schemas.ts';
import type { Provenance } from './response-schemas.ts';

/** Rows fetched from the cursor at a time: one CSV append or one Parquet row group. */
export const BATCH_ROWS = 50_000;

export interface ExportedFile {
  /** Relative to the output directory or prefix, `/`-separated. */
  path: string;
  table: string;
  week_ending: string;
  tier: string;
  venue_type: string;
  capture_id: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  dataset: typeof DOMAIN;
  format: ExportRequest['format'];
  tables: string[];
  from: string;
  to: string;
  tiers: string[] | null;
  venue_types: string[];
  exported_at: string;
  rows: number;
  files: ExportedFile[];
  provenance: Provenance;
}

export interface SelectedCapture {
  capture_id: string;
  capture_key: number;
  week_ending: string;
  tier: string;
  venue_type: string;
  revision: number;
  captured_at: string;
  published_on: string;
  finra_last_update_date: string | null;
}

/**
 * Runs `work` in one REPEATABLE READ READ ONLY transaction on a connection of its own, with the captures an API
 * answer at the same point reads (per partition the newest completed capture, or the one current at the as-of
 * point), oldest week first: everything read in it is one consistent snapshot.
 */
export async function inExportSnapshot<T>(pool: Pool, scope: CaptureScope, work: (client: PoolClient, captures: SelectedCapture[]) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const selection = selectedCaptures(scope);
    const { rows: captures } = await client.query<SelectedCapture>(
      `WITH caps AS (${selection.sql})
       SELECT c.capture_id, c.capture_key, to_char(c.week_ending, 'YYYY-MM-DD') AS week_ending, c.tier, c.venue_type, c.revision,
              ${isoInstant('k.captured_at')} AS captured_at, to_char(k.published_on, 'YYYY-MM-DD') AS published_on,
              to_char(k.finra_last_update_date, 'YYYY-MM-DD') AS finra_last_update_date
         FROM caps c JOIN core_captures k ON k.capture_id = c.capture_id
        ORDER BY c.week_ending, c.tier, c.venue_type`,
      selection.params,
    );
    const result = await work(client, captures);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** A capture's lineage columns, the same on every row of its files. */
export function lineageOf(capture: SelectedCapture): Record<string, unknown> {
  return {
    capture_id: capture.capture_id, revision: capture.revision, captured_at: capture.captured_at, published_on: capture.published_on,
    finra_last_update_date: capture.finra_last_update_date,
  };
}

/**
 * Hands `onBatch` the rows of `table` for one capture (only `symbol`'s when given), BATCH_ROWS at a time from a
 * server-side cursor, as arrays (the driver builds no object per row) with the column names; the next batch is
 * fetched once `onBatch` resolved. Returns the rows read.
 */
export async function streamCaptureRows(client: PoolClient, table: ExportTable, capture: SelectedCapture, symbol: string | undefined,
  onBatch: (names: string[], rows: unknown[][]) => Promise<void>): Promise<number> {
  let rows = 0;
  await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${table.sql(symbol === undefined ? undefined : '$2')}`,
    symbol === undefined ? [capture[table.by]] : [capture[table.by], symbol]);
  for (;;) {
    const batch = await client.query<unknown[]>({ text: `FETCH ${BATCH_ROWS} FROM export_rows`, rowMode: 'array' });
    if (batch.rows.length === 0) break;
    rows += batch.rows.length;
    await onBatch(batch.fields.map((f) => f.name), batch.rows);
  }
  await client.query('CLOSE export_rows');
  return rows;
}

/**
 * The CSV of one capture's rows straight from PostgreSQL (`COPY (...) TO STDOUT`, header line included), the lineage
 * columns added as constants, its bytes handed to `file` as they arrive, waiting for the file between chunks: no row
 * passes through JavaScript, which parsed and re-encoded every one of them before (80,000-120,000 rows/s). COPY takes
 * no parameters, so the capture's key and lineage are written into the statement as quoted literals. Lines end in LF,
 * NULL is an empty field and an empty string `""`, as PostgreSQL writes CSV. Returns the rows written.
 */
async function copyCaptureCsv(client: PoolClient, table: ExportTable, capture: SelectedCapture, file: TargetFile): Promise<number> {
  const literal = (value: unknown) => (value === null ? 'NULL' : client.escapeLiteral(String(value)));
  const lineage = lineageOf(capture);
  const constants = LINEAGE_COLUMNS.map((c) => `${literal(lineage[c.name])}::${c.type === 'INT32' ? 'int' : 'text'} AS ${c.name}`);
  // The outer SELECT only appends constants to the ordered rows, which PostgreSQL scans in the subquery's order.
  const stream = client.query(copyTo(`COPY (SELECT t.*, ${constants.join(', ')} FROM (${table.sql(undefined, literal(capture[table.by]))}) t)
    TO STDOUT WITH (FORMAT csv, HEADER true)`));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    file.write(chunk);
    await file.drained();
  }
  return stream.rowCount;
}

/**
 * Writes the tables asked for, for the captures current at the point asked (those an API answer would read), into
 * `target` (by default the directory `request.out`) as Hive partitions `<table>/week_ending=/tier=/venue_type=/data.<format>`,
 * one file per capture, with `manifest.json` (rows, bytes and SHA-256 per file; the captures and calculations behind
 * them) and a README carrying FINRA's attribution. The rows stream from a cursor in one read-only snapshot, so the
 * files agree with each other and memory holds one batch. The target must be empty: files from another export are
 * never mixed in.
 */
export async function exportTables(pool: Pool, request: ExportRequest, onProgress: (progress: ExportProgress) => void = () => undefined,
  target: ExportTarget = directoryTarget(request.out)): Promise<ExportManifest> {
  await target.checkEmpty();
  const scope = { tiers: request.tier, venueTypes: request.venue_type, from: request.from, to: request.to, as_of_published: request.as_of_published, as_of_captured: request.as_of_captured };
  const { files, provenance, rows } = await inExportSnapshot(pool, scope, async (client, captures) => {
    const files: ExportedFile[] = [];
    const progress: ExportProgress = { files: 0, totalFiles: captures.length * request.tables.length, rows: 0 };
    for (const name of request.tables) {
      const table = EXPORT_TABLES[name];
      for (const capture of captures) {
        const path = `${name}/week_ending=${capture.week_ending}/tier=${capture.tier}/venue_type=${capture.venue_type}/data.${request.format}`;
        const file: TargetFile = target.open(path);
        try {
          let rows: number;
          if (request.format === 'csv') {
            rows = await copyCaptureCsv(client, table, capture, file);
            progress.rows += rows;
          } else {
            const encoder = openTableFile(request.format, file, table.columns, FINRA_ATTRIBUTION);
            const constants = lineageOf(capture);
            rows = await streamCaptureRows(client, table, capture, undefined, async (names, batch) => {
              encoder.write({ names, rows: batch, constants });
              progress.rows += batch.length;
              onProgress({ ...progress });
              await file.drained();
            });
            encoder.finish();
          }
          files.push({ path, table: name, week_ending: capture.week_ending, tier: capture.tier, venue_type: capture.venue_type, capture_id: capture.capture_id, rows, ...(await file.close()) });
        } catch (error) {
          await file.abort().catch(() => undefined);
          throw error;
        }
        progress.files += 1;
        onProgress({ ...progress });
      }
    }
    const { provenance } = await provenanceOf(client, captures.map((c) => c.capture_id), request);
    return { files, provenance, rows: progress.rows };
  });
  const manifest: ExportManifest = {
    dataset: DOMAIN, format: request.format, tables: request.tables, from: request.from, to: request.to, tiers: request.tier ?? null,
    venue_types: request.venue_type, exported_at: new Date().toISOString(), rows, files, provenance,
  };
  await target.writeText('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  await target.writeText('README.md', readmeOf(manifest));
  return manifest;
}

function readmeOf(manifest: ExportManifest): string {
  const asOf = manifest.provenance.as_of;
  const point = asOf.published ? `as FINRA had published it by ${asOf.published}` : asOf.captured ? `as this system had captured it by ${asOf.captured}` : 'the newest capture of each partition';
  return `# FINRA OTC weekly data, ${manifest.from} to ${manifest.to}

${FINRA_ATTRIBUTION}

Exported by Market Spine on ${manifest.exported_at}: ${manifest.rows} rows of ${manifest.tables.join(', ')} (${manifest.format}), ${point}.
Directories are Hive partitions (\`<table>/week_ending=/tier=/venue_type=\`), one file per capture; every row carries the
capture it was read from (capture_id, revision, captured_at, published_on, finra_last_update_date) and the calculation
that produced it (calc_name, calc_version, execution_id). \`manifest.json\` lists each file's rows, bytes and SHA-256,
and the captures and calculations behind them.

    SELECT * FROM read_${manifest.format === 'parquet' ? 'parquet' : 'csv'}('${manifest.tables[0]}/**/*.${manifest.format}', hive_partitioning = true);
`;
}
