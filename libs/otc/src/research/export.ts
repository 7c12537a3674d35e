import type { Pool, PoolClient } from '@spine/platform/db/pool';
import { inReadOnlySnapshot, streamRows, writeExportFile, type ExportQuery } from '@spine/platform/research/export-stream';
import type { ExportedFileBase, ExportManifestBase, ExportProgress } from '@spine/platform/research/research-module';
import { directoryTarget, writeManifest, type ExportTarget } from '@spine/platform/research/export-targets';
import { DOMAIN } from '../domain.ts';
import { isoInstant, selectedCaptures, type CaptureScope } from './capture-selection.ts';
import { EXPORT_TABLES, type ExportTable } from './export-tables.ts';
import { FINRA_ATTRIBUTION, provenanceOf } from './provenance.ts';
import type { ExportRequest } from './request-schemas.ts';
import type { Provenance } from './response-schemas.ts';

export interface ExportedFile extends ExportedFileBase {
  week_ending: string;
  tier: string;
  venue_type: string;
  capture_id: string;
}

export interface ExportManifest extends ExportManifestBase<ExportedFile, Provenance> {
  dataset: typeof DOMAIN;
  tiers: string[] | null;
  venue_types: string[];
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
  return inReadOnlySnapshot(pool, async (client) => {
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
    return work(client, captures);
  });
}

/** A capture's lineage columns, the same on every row of its files. */
export function lineageOf(capture: SelectedCapture): Record<string, unknown> {
  return {
    capture_id: capture.capture_id, revision: capture.revision, captured_at: capture.captured_at, published_on: capture.published_on,
    finra_last_update_date: capture.finra_last_update_date,
  };
}

/** The rows of `table` for one capture (only `symbol`'s when given), as the platform's export reads them. */
export function captureRows(table: ExportTable, capture: SelectedCapture, symbol?: string): ExportQuery {
  return (bind) => {
    const key = bind(capture[table.by]);
    return table.sql(symbol === undefined ? undefined : bind(symbol), key);
  };
}

/** Hands `onBatch` the rows of `table` for one capture (only `symbol`'s when given), a batch at a time (streamRows). */
export function streamCaptureRows(client: PoolClient, table: ExportTable, capture: SelectedCapture, symbol: string | undefined,
  onBatch: (names: string[], rows: unknown[][]) => Promise<void>): Promise<number> {
  return streamRows(client, captureRows(table, capture, symbol), onBatch);
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
        const written = await writeExportFile(client, target, {
          path, format: request.format, columns: table.columns, attribution: FINRA_ATTRIBUTION, query: captureRows(table, capture), constants: lineageOf(capture),
        }, (rows) => {
          progress.rows += rows;
          if (request.format === 'parquet') onProgress({ ...progress });
        });
        files.push({ path, table: name, week_ending: capture.week_ending, tier: capture.tier, venue_type: capture.venue_type, capture_id: capture.capture_id, ...written });
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
  await writeManifest(target, manifest, readmeOf(manifest));
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
