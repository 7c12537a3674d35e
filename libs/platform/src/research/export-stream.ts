import { to as copyTo } from 'pg-copy-streams';
import type { Pool, PoolClient } from '../db/pool.ts';
import { openTableFile, type ExportColumn, type ExportColumnType, type ExportFormat } from './export-files.ts';
import type { ExportTarget, TargetFile } from './export-targets.ts';

/**
 * Reading an export's rows from PostgreSQL and writing them as files, whatever the dataset: one read-only snapshot,
 * a server-side cursor a batch at a time (Parquet), or COPY straight into the file (CSV).
 */

/** Rows fetched from the cursor at a time: one CSV append or one Parquet row group. */
export const BATCH_ROWS = 50_000;

/**
 * The SQL of a file's rows, built with `bind`, which stands for a value: a `$n` parameter when read from a cursor,
 * a quoted literal in COPY (which takes no parameters). Its rows come in a stable order.
 */
export type ExportQuery = (bind: (value: unknown) => string) => string;

/**
 * Runs `work` in one REPEATABLE READ READ ONLY transaction on a connection of its own: everything it reads is one
 * consistent snapshot, so the files of an export agree with each other and with its manifest.
 */
export async function inReadOnlySnapshot<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Hands `onBatch` the rows of `query`, BATCH_ROWS at a time from a server-side cursor, as arrays (the driver builds
 * no object per row) with the column names; the next batch is fetched once `onBatch` resolved. Returns the rows read.
 * Runs inside a transaction (a cursor lives in one).
 */
export async function streamRows(client: PoolClient, query: ExportQuery, onBatch: (names: string[], rows: unknown[][]) => Promise<void>): Promise<number> {
  const params: unknown[] = [];
  const sql = query((value) => {
    params.push(value);
    return `$${params.length}`;
  });
  let rows = 0;
  await client.query(`DECLARE export_rows NO SCROLL CURSOR FOR ${sql}`, params);
  for (;;) {
    const batch = await client.query<unknown[]>({ text: `FETCH ${BATCH_ROWS} FROM export_rows`, rowMode: 'array' });
    if (batch.rows.length === 0) break;
    rows += batch.rows.length;
    await onBatch(batch.fields.map((f) => f.name), batch.rows);
  }
  await client.query('CLOSE export_rows');
  return rows;
}

const SQL_TYPES: Record<ExportColumnType, string> = { STRING: 'text', INT32: 'int', INT64: 'bigint', DOUBLE: 'float8', DECIMAL: 'numeric' };

/**
 * The CSV of `query`'s rows straight from PostgreSQL (`COPY (...) TO STDOUT`, header line included), the `constants`
 * (of `columns`) appended as columns, its bytes handed to `file` as they arrive, waiting for the file between chunks:
 * no row passes through JavaScript, which parsed and re-encoded every one of them before (80,000-120,000 rows/s).
 * Values are written into the statement as quoted literals. Lines end in LF, NULL is an empty field and an empty
 * string `""`, numerics are written as PostgreSQL holds them (exact), as PostgreSQL writes CSV. Returns the rows written.
 */
async function copyCsv(client: PoolClient, query: ExportQuery, columns: readonly ExportColumn[], constants: Readonly<Record<string, unknown>>, file: TargetFile): Promise<number> {
  const literal = (value: unknown) => (value === null || value === undefined ? 'NULL' : client.escapeLiteral(String(value)));
  const extra = columns.filter((c) => c.name in constants).map((c) => `${literal(constants[c.name])}::${SQL_TYPES[c.type]} AS ${c.name}`);
  // The outer SELECT only appends constants to the ordered rows, which PostgreSQL scans in the subquery's order.
  const stream = client.query(copyTo(`COPY (SELECT t.*${extra.map((e) => `, ${e}`).join('')} FROM (${query(literal)}) t) TO STDOUT WITH (FORMAT csv, HEADER true)`));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    file.write(chunk);
    await file.drained();
  }
  return stream.rowCount;
}

/** One file of an export: where it goes, its columns (those in `constants` are the same on every row) and its rows. */
export interface ExportFileSpec {
  /** Relative to the export's target, `/`-separated. */
  path: string;
  format: ExportFormat;
  columns: readonly ExportColumn[];
  /** The publisher's terms, in a Parquet file's metadata. */
  attribution: string;
  query: ExportQuery;
  constants: Readonly<Record<string, unknown>>;
}

/**
 * Writes one file of an export into `target` from `client`'s snapshot: CSV by COPY, Parquet a row group per batch
 * with the target drained between batches, so memory holds one batch whatever the file's size. `onRows` hears of
 * rows as they are written (CSV's once the file is whole). A failed file is given up (an S3 upload aborted).
 * Returns the rows written and the file's size and SHA-256.
 */
export async function writeExportFile(client: PoolClient, target: ExportTarget, spec: ExportFileSpec, onRows: (rows: number) => void):
  Promise<{ rows: number; bytes: number; sha256: string }> {
  const file = target.open(spec.path);
  try {
    let rows: number;
    if (spec.format === 'csv') {
      rows = await copyCsv(client, spec.query, spec.columns, spec.constants, file);
      onRows(rows);
    } else {
      const encoder = await openTableFile(spec.format, file, spec.columns, spec.attribution);
      rows = await streamRows(client, spec.query, async (names, batch) => {
        encoder.write({ names, rows: batch, constants: spec.constants });
        onRows(batch.length);
        await file.drained();
      });
      encoder.finish();
    }
    return { rows, ...(await file.close()) };
  } catch (error) {
    await file.abort().catch(() => undefined);
    throw error;
  }
}
