import { appendFileSync, writeFileSync } from 'node:fs';
import { fileWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import { toCsv } from './csv.ts';
import type { ExportColumn } from './export-tables.ts';

export type ExportFormat = 'parquet' | 'csv';

/** One exported file, written a batch at a time: a batch reaches the disk before the next is read. */
export interface TableFile {
  write(rows: readonly Record<string, unknown>[]): void;
  finish(): void;
}

export function openTableFile(format: ExportFormat, path: string, columns: readonly ExportColumn[]): TableFile {
  return format === 'parquet' ? parquetFile(path, columns) : csvFile(path, columns);
}

/** RFC 4180 CSV with a header line; bigints stay the decimal strings PostgreSQL sent. */
function csvFile(path: string, columns: readonly ExportColumn[]): TableFile {
  const names = columns.map((c) => c.name);
  const header = toCsv([], names);
  writeFileSync(path, header);
  return {
    write: (rows) => appendFileSync(path, toCsv(rows, names).slice(header.length)),
    finish: () => undefined,
  };
}

/**
 * Parquet (snappy), one row group per batch, so that memory holds one batch whatever the file's size. The file writer
 * flushes synchronously, so write and finish return nothing to wait for.
 */
function parquetFile(path: string, columns: readonly ExportColumn[]): TableFile {
  const schema = schemaFromColumnData({ columnData: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, data: [] })) });
  const writer = new ParquetWriter({ writer: fileWriter(path), schema, createdBy: 'market-spine export (hyparquet-writer)' });
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
