import { ByteWriter, ParquetWriter, schemaFromColumnData, type Writer } from 'hyparquet-writer';
import { toCsv } from './csv.ts';
import type { ExportColumn } from './export-tables.ts';
import { FINRA_ATTRIBUTION } from './provenance.ts';

export type ExportFormat = 'parquet' | 'csv';

/** Where an exported file's bytes go (a file, an S3 upload, an HTTP response), in order, as they are encoded. */
export interface ByteSink {
  write(chunk: Uint8Array): void;
}

/** One exported file, encoded a batch at a time: a batch reaches its sink before the next is read. */
export interface TableFile {
  write(rows: readonly Record<string, unknown>[]): void;
  finish(): void;
}

export function openTableFile(format: ExportFormat, sink: ByteSink, columns: readonly ExportColumn[]): TableFile {
  return format === 'parquet' ? parquetFile(sink, columns) : csvFile(sink, columns);
}

/** RFC 4180 CSV with a header line; bigints stay the decimal strings PostgreSQL sent. */
function csvFile(sink: ByteSink, columns: readonly ExportColumn[]): TableFile {
  const names = columns.map((c) => c.name);
  const header = toCsv([], names);
  sink.write(Buffer.from(header));
  return {
    write: (rows) => sink.write(Buffer.from(toCsv(rows, names).slice(header.length))),
    finish: () => undefined,
  };
}

/** Bytes the Parquet writer holds before handing them to the sink. */
const PARQUET_CHUNK_BYTES = 1_000_000;

/**
 * hyparquet-writer's byte writer handing its bytes to a sink every megabyte (as its own file writer does to a file),
 * so that a file of any size never sits in memory whole.
 */
function sinkWriter(sink: ByteSink): Writer {
  const writer = new ByteWriter();
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
 * Parquet (snappy), one row group per batch, so that memory holds one batch whatever the file's size; FINRA's
 * attribution in the file's key-value metadata. The writer hands bytes over synchronously, so write and finish
 * return nothing to wait for.
 */
function parquetFile(sink: ByteSink, columns: readonly ExportColumn[]): TableFile {
  const schema = schemaFromColumnData({ columnData: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, data: [] })) });
  const writer = new ParquetWriter({
    writer: sinkWriter(sink), schema, createdBy: 'market-spine export (hyparquet-writer)', kvMetadata: [{ key: 'attribution', value: FINRA_ATTRIBUTION }],
  });
  return {
    write: (rows) => {
      const columnData = columns.map((c) => ({
        name: c.name,
        data: c.type === 'INT64' ? rows.map((r) => (r[c.name] === null ? null : BigInt(r[c.name] as string))) : rows.map((r) => r[c.name]),
      }));
      void writer.write({ columnData, rowGroupSize: rows.length });
    },
    finish: () => void writer.finish(),
  };
}
