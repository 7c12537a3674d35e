import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { makeSpoolDir, releaseSpoolDir } from './spool.ts';

/**
 * COPY text rows spooled to a temporary file while the connection is busy with another COPY, then loaded with
 * `copySql` on the same connection and transaction: memory stays flat however many rows there are.
 */
export class CopySpool {
  private out: WriteStream | undefined;
  private dir: string | undefined;
  private path: string | undefined;
  private writeError: Error | undefined;
  count = 0;

  constructor(private readonly kind: string, private readonly copySql: string) {}

  /** Appends rows already in COPY text format, each ending in '\n'. */
  async write(rows: string, count = 1): Promise<void> {
    if (!this.out) {
      this.dir = await makeSpoolDir(this.kind);
      this.path = join(this.dir, `${this.kind}.tsv`);
      this.out = createWriteStream(this.path);
      // Without a listener a full disk would crash the whole worker; the error fails this load instead.
      this.out.on('error', (error) => (this.writeError ??= error));
    }
    if (this.writeError) throw new Error(`${this.kind} spool ${this.path}: ${this.writeError.message}`, { cause: this.writeError });
    this.count += count;
    if (!this.out.write(rows)) await once(this.out, 'drain');
  }

  /** Loads the spooled rows and removes the spool file; returns the rows the server counted. */
  async flush(client: pg.PoolClient): Promise<number> {
    if (!this.out || !this.path) return 0;
    this.out.end();
    try {
      await finished(this.out);
      if (this.writeError) throw this.writeError;
      const sink = client.query(copyFrom(this.copySql));
      await pipeline(createReadStream(this.path), sink);
      return Number(sink.rowCount ?? 0);
    } finally {
      await this.dispose();
    }
  }

  async dispose(): Promise<void> {
    if (this.out && !this.out.closed) this.out.destroy();
    if (this.dir) await releaseSpoolDir(this.dir);
    this.out = undefined;
    this.dir = undefined;
  }
}
