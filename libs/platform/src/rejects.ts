import { createWriteStream, createReadStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { copyLine } from './db/copy.ts';
import { makeSpoolDir, releaseSpoolDir } from './storage/spool.ts';

export interface RejectRow {
  lineNumber: number;
  reasonCode: string;
  reasonDetail: string;
  rawLine: string;
}

export interface RejectScope {
  domain: string;
  weekEnding: string;
  tier: string;
  venueType: string;
  captureId: string;
  stage: string;
  executionId: string;
  batchId: string;
  capturedAt: string;
}

/**
 * Spools rejects to a temporary file while the accepted rows stream over the connection's COPY, then loads them
 * with a second COPY on the same connection and transaction: memory stays flat however many lines are rejected.
 */
export class RejectSpool {
  private out: WriteStream | undefined;
  private dir: string | undefined;
  private path: string | undefined;
  private writeError: Error | undefined;
  count = 0;
  readonly byReason: Record<string, number> = {};

  constructor(private readonly scope: RejectScope) {}

  async add(reject: RejectRow): Promise<void> {
    if (!this.out) {
      this.dir = await makeSpoolDir('rejects');
      this.path = join(this.dir, 'rejects.tsv');
      this.out = createWriteStream(this.path);
      // Without a listener a full disk would crash the whole worker; the error fails this ingest instead.
      this.out.on('error', (error) => (this.writeError ??= error));
    }
    if (this.writeError) throw new Error(`reject spool ${this.path}: ${this.writeError.message}`, { cause: this.writeError });
    const s = this.scope;
    const line = copyLine([s.domain, s.weekEnding, s.tier, s.captureId, s.stage, reject.lineNumber, reject.reasonCode,
      reject.reasonDetail, reject.rawLine, s.executionId, s.batchId, s.capturedAt, s.venueType]);
    this.count += 1;
    this.byReason[reject.reasonCode] = (this.byReason[reject.reasonCode] ?? 0) + 1;
    if (!this.out.write(line)) await once(this.out, 'drain');
  }

  /** Loads the spooled rejects into core_rejects and removes the spool file. */
  async flush(client: pg.PoolClient): Promise<number> {
    if (!this.out || !this.path) return 0;
    this.out.end();
    try {
      await finished(this.out);
      if (this.writeError) throw this.writeError;
      const sink = client.query(copyFrom(`COPY core_rejects (domain, week_ending, tier, capture_id, stage, line_number,
        reason_code, reason_detail, raw_line, execution_id, batch_id, captured_at, venue_type) FROM STDIN`));
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
