import type { ByteWriter, Writer } from 'hyparquet-writer';
import { csvField, csvLine } from './csv.ts';

export type ExportFormat = 'parquet' | 'csv';

/**
 * A column's type in an exported file: INT64 columns arrive from PostgreSQL as decimal strings (bigint); DECIMAL
 * columns as numeric's text, written exactly as DECIMAL(DECIMAL_PRECISION, DECIMAL_SCALE) in Parquet.
 */
export type ExportColumnType = 'STRING' | 'INT32' | 'INT64' | 'DOUBLE' | 'DECIMAL';

/**
 * The one decimal type of exported files: 32 digits before the point, 6 after (a Reg SHO volume is at most 15 and 6,
 * their sums a few digits more). One type for every DECIMAL column, so that files of one table always union.
 */
export const DECIMAL_PRECISION = 38;
export const DECIMAL_SCALE = 6;
/** Bytes of a FIXED_LEN_BYTE_ARRAY holding a DECIMAL(38, 6): 16 hold any 38-digit signed value. */
const DECIMAL_BYTES = 16;

export interface ExportColumn {
  name: string;
  type: ExportColumnType;
  nullable: boolean;
}

/** Where an exported file's bytes go (a file, an S3 upload, an HTTP response), in order, as they are encoded. */
export interface ByteSink {
  write(chunk: Uint8Array): void;
}

/** Where a single-file download's bytes go (an HTTP response): written in order, then waited on between batches. */
export interface DownloadSink extends ByteSink {
  drained(): Promise<void>;
}

/**
 * Rows as PostgreSQL sent them (arrays, in the order of `names`), and the columns whose value is the same on every
 * row of the batch (a file's lineage), which are not repeated in each row.
 */
export interface RowBatch {
  names: readonly string[];
  rows: readonly (readonly unknown[])[];
  constants: Readonly<Record<string, unknown>>;
}

/** One exported file, encoded a batch at a time: a batch reaches its sink before the next is read. */
export interface TableFile {
  write(batch: RowBatch): void;
  finish(): void;
}

/** Where each column's value is found in a batch: a constant, or the index of the row's field. */
function locate(columns: readonly ExportColumn[], batch: RowBatch): ({ constant: unknown } | { index: number })[] {
  return columns.map((c) => {
    if (c.name in batch.constants) return { constant: batch.constants[c.name] };
    const index = batch.names.indexOf(c.name);
    if (index < 0) throw new Error(`export: no column ${c.name} in the rows read`);
    return { index };
  });
}

/**
 * A file of `columns` in `format`; a Parquet file carries the publisher's `attribution` in its metadata. The Parquet
 * writer is loaded with the first Parquet file (55 ms): the research modules that can write files are loaded by every
 * `spine query`, which writes none.
 */
export async function openTableFile(format: ExportFormat, sink: ByteSink, columns: readonly ExportColumn[], attribution: string): Promise<TableFile> {
  return format === 'parquet' ? parquetFile(sink, columns, attribution) : csvFile(sink, columns);
}

/** RFC 4180 CSV with a header line; bigints stay the decimal strings PostgreSQL sent. */
function csvFile(sink: ByteSink, columns: readonly ExportColumn[]): TableFile {
  sink.write(Buffer.from(csvLine(columns.map((c) => c.name))));
  return {
    write: (batch) => {
      const at = locate(columns, batch);
      // A constant is quoted once per batch, not once per row.
      const cells = at.map((a) => ('constant' in a ? csvField(a.constant) : undefined));
      let text = '';
      for (const row of batch.rows) text += csvLine(at.map((a, i) => cells[i] ?? csvField(row[(a as { index: number }).index])));
      sink.write(Buffer.from(text));
    },
    finish: () => undefined,
  };
}

/** Bytes the Parquet writer holds before handing them to the sink. */
const PARQUET_CHUNK_BYTES = 1_000_000;

/**
 * hyparquet-writer's byte writer handing its bytes to a sink every megabyte (as its own file writer does to a file),
 * so that a file of any size never sits in memory whole.
 */
function sinkWriter(sink: ByteSink, writer: ByteWriter): Writer {
  const grow = writer.ensure.bind(writer);
  const flush = () => {
    if (writer.index === 0) return;
    sink.write(new Uint8Array(writer.buffer, 0, writer.index).slice());
    writer.index = 0;
  };
  writer.ensure = (size: number) => {
    if (writer.index > PARQUET_CHUNK_BYTES) flush();
    grow(size);
  };
  writer.finish = flush;
  return writer;
}

/**
 * The unscaled value of a decimal's text (`1234.25` -> 1234250000n at scale 6). A value with more places than the
 * scale is refused, never rounded: an export is exact or fails.
 */
export function unscaledDecimal(text: string): bigint {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new Error(`export: "${text}" is not a decimal`);
  const [, sign, whole, fraction = ''] = match;
  // Trailing zeros add no place (a loop: a regular expression anchored at the end backtracks on long runs of zeros).
  let end = fraction.length;
  while (end > 0 && fraction[end - 1] === '0') end -= 1;
  const places = fraction.slice(0, end);
  if (places.length > DECIMAL_SCALE) throw new Error(`export: ${text} has more than ${DECIMAL_SCALE} decimal places`);
  const unscaled = BigInt(whole!) * 10n ** BigInt(DECIMAL_SCALE) + BigInt(places.padEnd(DECIMAL_SCALE, '0'));
  return sign ? -unscaled : unscaled;
}

/** A column's Parquet schema element where the type alone does not say it (DECIMAL's precision and scale). */
function schemaOverride(c: ExportColumn) {
  return {
    name: c.name, type: 'FIXED_LEN_BYTE_ARRAY' as const, type_length: DECIMAL_BYTES, repetition_type: c.nullable ? 'OPTIONAL' as const : 'REQUIRED' as const,
    converted_type: 'DECIMAL' as const, precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE,
    logical_type: { type: 'DECIMAL' as const, precision: DECIMAL_PRECISION, scale: DECIMAL_SCALE },
  };
}

/**
 * Parquet (snappy), one row group per batch, so that memory holds one batch whatever the file's size; the
 * publisher's attribution in the file's key-value metadata. The writer hands bytes over synchronously, so write and finish
 * return nothing to wait for. No column statistics: they cost a third of the writer's time (200,000 venue_volume rows:
 * 71,000 rows/s with them, 111,000 without, the file the same size) and prune nothing here, since a file is one
 * capture, a row group holds up to 50,000 of its rows, and symbols and venues span the alphabet in every one of them.
 */
async function parquetFile(sink: ByteSink, columns: readonly ExportColumn[], attribution: string): Promise<TableFile> {
  const { ByteWriter, ParquetWriter, schemaFromColumnData } = await import('hyparquet-writer');
  const decimals = columns.filter((c) => c.type === 'DECIMAL');
  const schema = schemaFromColumnData({
    columnData: columns.map((c) => (c.type === 'DECIMAL' ? { name: c.name, data: [] } : { name: c.name, type: c.type, nullable: c.nullable, data: [] })),
    schemaOverrides: Object.fromEntries(decimals.map((c) => [c.name, schemaOverride(c)])),
  });
  const writer = new ParquetWriter({
    writer: sinkWriter(sink, new ByteWriter()), schema, statistics: false, createdBy: 'market-spine export (hyparquet-writer)',
    kvMetadata: [{ key: 'attribution', value: attribution }],
  });
  return {
    write: (batch) => {
      const at = locate(columns, batch);
      const n = batch.rows.length;
      const int64 = (value: unknown) => (value === null ? null : BigInt(value as string));
      const decimal = (value: unknown) => (value === null ? null : unscaledDecimal(value as string));
      const columnData = columns.map((c, i) => {
        const a = at[i]!;
        const convert = c.type === 'INT64' ? int64 : c.type === 'DECIMAL' ? decimal : (value: unknown) => value;
        const data = 'constant' in a ? new Array<unknown>(n).fill(convert(a.constant)) : batch.rows.map((row) => convert(row[a.index]));
        return { name: c.name, data };
      });
      void writer.write({ columnData, rowGroupSize: n });
    },
    finish: () => void writer.finish(),
  };
}
