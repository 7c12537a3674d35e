import type pg from 'pg';
import { copyLine } from './db/copy.ts';
import { CopySpool } from './storage/copy-spool.ts';

export interface RejectRow {
  lineNumber: number;
  reasonCode: string;
  reasonDetail: string;
  rawLine: string;
}

export interface RejectScope {
  domain: string;
  periodEnd: string;
  key1: string;
  key2: string;
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
  private readonly spool = new CopySpool('rejects', `COPY core_rejects (domain, period_end, key_1, capture_id, stage, line_number,
    reason_code, reason_detail, raw_line, execution_id, batch_id, captured_at, key_2) FROM STDIN`);
  readonly byReason: Record<string, number> = {};

  constructor(private readonly scope: RejectScope) {}

  get count(): number {
    return this.spool.count;
  }

  async add(reject: RejectRow): Promise<void> {
    const s = this.scope;
    this.byReason[reject.reasonCode] = (this.byReason[reject.reasonCode] ?? 0) + 1;
    await this.spool.write(copyLine([s.domain, s.periodEnd, s.key1, s.captureId, s.stage, reject.lineNumber, reject.reasonCode,
      reject.reasonDetail, reject.rawLine, s.executionId, s.batchId, s.capturedAt, s.key2]));
  }

  /** Loads the spooled rejects into core_rejects and removes the spool file. */
  flush(client: pg.PoolClient): Promise<number> {
    return this.spool.flush(client);
  }

  dispose(): Promise<void> {
    return this.spool.dispose();
  }
}
