import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import type pg from 'pg';

/** Streams COPY ... FROM STDIN text rows into PostgreSQL with backpressure; returns the rows the server counted. */
export async function copyRows(client: pg.PoolClient, copySql: string, rows: AsyncIterable<string | Buffer> | Iterable<string | Buffer>): Promise<number> {
  const sink = client.query(copyFrom(copySql));
  await pipeline(Readable.from(rows, { objectMode: false }), sink);
  return Number(sink.rowCount ?? 0);
}

/** One field of COPY text format: backslash, tab, newline and carriage return escaped; null as \N. */
export function copyField(value: string | number | bigint | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c] ?? c) : text;
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyLine(fields: ReadonlyArray<string | number | bigint | boolean | null | undefined>): string {
  return `${fields.map(copyField).join('\t')}\n`;
}
