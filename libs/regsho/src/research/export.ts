import type { Pool, PoolClient } from '@spine/platform/db/pool';
import { inReadOnlySnapshot, writeExportFile } from '@spine/platform/research/export-stream';
import { directoryTarget, writeManifest, type ExportTarget } from '@spine/platform/research/export-targets';
import { isoInstant, type ResearchProvenance } from '@spine/platform/research/research-endpoint';
import type { ExportedFileBase, ExportManifestBase, ExportProgress } from '@spine/platform/research/research-module';
import { DOMAIN } from '../domain.ts';
import { MARKET_CODES } from '../facilities.ts';
import type { ExportRequest } from './export-request.ts';
import { EXPORT_TABLES, type ExportTable } from './export-tables.ts';
import { REGSHO_ATTRIBUTION, regshoProvenance } from './provenance.ts';

/** A capture an export reads: the newest published one of its trade date x facility at the point asked. */
interface SelectedCapture {
  capture_id: string;
  capture_key: number;
  trade_date: string;
  market_code: string;
  /** The Friday of its trade date's week (regsho_week_ending). */
  week_ending: string;
  revision: number;
  captured_at: string;
  published_on: string;
}

export interface ExportedFile extends ExportedFileBase {
  /** Its Hive partition: trade_date and market_code (daily_volume), trade_date (symbol_daily) or week_ending (symbol_week). */
  trade_date?: string;
  market_code?: string;
  week_ending?: string;
  /** The captures its rows were read from. */
  capture_ids: string[];
}

export interface ExportManifest extends ExportManifestBase<ExportedFile, ResearchProvenance> {
  dataset: typeof DOMAIN;
  market_codes: string[] | null;
}

/**
 * Per trade date x facility from four days before `from` (the Monday of a week whose Friday is `from` or after) to
 * `to`, the newest capture whose ingest published its lines (its lineage row), among those published or captured by
 * the point asked: regsho_captures_as_of (migration 1120) with a range, facilities and the capture clock too.
 */
async function selectCaptures(client: PoolClient, request: ExportRequest): Promise<SelectedCapture[]> {
  const { rows } = await client.query<SelectedCapture>(
    `SELECT DISTINCT ON (c.period_end, c.key_1) c.capture_id, c.capture_key, to_char(c.period_end, 'YYYY-MM-DD') AS trade_date, c.key_1 AS market_code,
            to_char(regsho_week_ending(c.period_end), 'YYYY-MM-DD') AS week_ending, c.revision, ${isoInstant('c.captured_at')} AS captured_at,
            to_char(c.published_on, 'YYYY-MM-DD') AS published_on
       FROM core_captures c
       JOIN core_calc_lineage g ON g.capture_key = c.capture_key AND g.calc_name = 'regsho_daily_volume'
      WHERE c.domain = $1 AND c.period_end BETWEEN $2::date - 4 AND $3::date AND c.key_1 = ANY($4::text[])
        AND ($5::date IS NULL OR c.published_on <= $5::date) AND ($6::timestamptz IS NULL OR c.captured_at <= $6::timestamptz)
      ORDER BY c.period_end, c.key_1, c.revision DESC`,
    [DOMAIN, request.from, request.to, request.market_code ?? MARKET_CODES, request.as_of_published ?? null, request.as_of_captured ?? null],
  );
  return rows;
}

/** One file to write: its Hive partition and the captures it reads. */
interface PlannedFile {
  partition: Record<string, string>;
  captures: SelectedCapture[];
}

/**
 * The files of a table: per capture (daily_volume), per trade date (symbol_daily) from `from` to `to`, or per week
 * whose Friday is from `from` to `to`, whole (symbol_week: its Monday may be before `from`); oldest first.
 */
function plan(table: ExportTable, captures: readonly SelectedCapture[], request: ExportRequest): PlannedFile[] {
  if (table.grain === 'capture') {
    return captures.filter((c) => c.trade_date >= request.from).map((c) => ({ partition: { trade_date: c.trade_date, market_code: c.market_code }, captures: [c] }));
  }
  const field = table.grain;
  const groups = new Map<string, SelectedCapture[]>();
  for (const capture of captures) {
    const value = capture[field];
    if (value < request.from || value > request.to) continue;
    groups.set(value, [...(groups.get(value) ?? []), capture]);
  }
  return [...groups.entries()].map(([value, group]) => ({ partition: { [field]: value }, captures: group }));
}

/** A daily_volume file's lineage columns: its one capture's. */
const lineageOf = (capture: SelectedCapture) => ({
  capture_id: capture.capture_id, revision: capture.revision, captured_at: capture.captured_at, published_on: capture.published_on,
});

/**
 * Writes the tables asked for, read from the captures current at the point asked, into `target` (by default the
 * directory `request.out`) as Hive partitions `<table>/<partition>=<value>/.../data.<format>`, with `manifest.json`
 * (rows, bytes, SHA-256 and captures per file; the captures and calculations behind them) and a README carrying
 * FINRA's attribution. Everything is read in one read-only snapshot, a batch at a time. The target must be empty.
 */
export async function exportRegsho(pool: Pool, request: ExportRequest, onProgress: (progress: ExportProgress) => void = () => undefined,
  target: ExportTarget = directoryTarget(request.out)): Promise<ExportManifest> {
  await target.checkEmpty();
  const { files, provenance, rows } = await inReadOnlySnapshot(pool, async (client) => {
    const captures = await selectCaptures(client, request);
    const planned = request.tables.map((name) => ({ name, table: EXPORT_TABLES[name], files: plan(EXPORT_TABLES[name], captures, request) }));
    const files: ExportedFile[] = [];
    const progress: ExportProgress = { files: 0, totalFiles: planned.reduce((n, p) => n + p.files.length, 0), rows: 0 };
    for (const { name, table, files: tableFiles } of planned) {
      for (const file of tableFiles) {
        const path = `${name}/${Object.entries(file.partition).map(([k, v]) => `${k}=${v}`).join('/')}/data.${request.format}`;
        const written = await writeExportFile(client, target, {
          path, format: request.format, columns: table.columns, attribution: REGSHO_ATTRIBUTION,
          query: table.rows(`{${file.captures.map((c) => c.capture_key).join(',')}}`),
          constants: table.grain === 'capture' ? lineageOf(file.captures[0]!) : {},
        }, (rows) => {
          progress.rows += rows;
          if (request.format === 'parquet') onProgress({ ...progress });
        });
        files.push({ path, table: name, ...file.partition, capture_ids: file.captures.map((c) => c.capture_id), ...written });
        progress.files += 1;
        onProgress({ ...progress });
      }
    }
    const read = new Set(files.flatMap((f) => f.capture_ids));
    const { provenance } = await regshoProvenance(client, read, request.as_of_published);
    return { files, provenance: { ...provenance, as_of: { published: request.as_of_published ?? null, captured: request.as_of_captured ?? null } }, rows: progress.rows };
  });
  const manifest: ExportManifest = {
    dataset: DOMAIN, format: request.format, tables: request.tables, from: request.from, to: request.to, market_codes: request.market_code ?? null,
    exported_at: new Date().toISOString(), rows, files, provenance,
  };
  await writeManifest(target, manifest, readmeOf(manifest));
  return manifest;
}

function readmeOf(manifest: ExportManifest): string {
  const asOf = manifest.provenance.as_of;
  const point = asOf.published ? `as published by ${asOf.published}` : asOf.captured ? `as this system had captured it by ${asOf.captured}` : 'the newest file of each trade date and facility';
  const facilities = manifest.market_codes ? ` (facilities ${manifest.market_codes.join(', ')} only: the sums cover those)` : '';
  return `# FINRA Reg SHO daily short-sale volume, ${manifest.from} to ${manifest.to}

${REGSHO_ATTRIBUTION}

Exported by Market Spine on ${manifest.exported_at}: ${manifest.rows} rows of ${manifest.tables.join(', ')} (${manifest.format}), ${point}${facilities}.
Directories are Hive partitions: \`daily_volume/trade_date=/market_code=\` (FINRA's lines, one file per facility's file,
each row with the capture it was read from), \`symbol_daily/trade_date=\` (per symbol, the facilities summed) and
\`symbol_week/week_ending=\` (per symbol, the week's days summed; whole weeks whose Friday is in the range). Volumes and
ratios are exact decimals (DECIMAL(38,6) in Parquet). \`manifest.json\` lists each file's rows, bytes, SHA-256 and
captures, and the captures and calculations behind them.

    SELECT * FROM read_${manifest.format === 'parquet' ? 'parquet' : 'csv'}('${manifest.tables[0]}/**/*.${manifest.format}', hive_partitioning = true);
`;
}
