import type pg from 'pg';
import { copyRows } from './copy.ts';

export interface InterleavedCopyOptions {
  /** Bytes of another table's rows that take the connection over once the open COPY has nothing to send. */
  switchBytes: number;
  /** The producer waits while this many bytes wait in all; the rows in flight to the server are not counted. */
  maxQueuedBytes: number;
}

// A run-week of 200,000 OTC lines took as long with 256 KiB, 1 MiB and 4 MiB to switch, and with 2, 4 and 8 MiB of
// queue; the smallest queue peaked 5 MB lower.
const DEFAULTS: InterleavedCopyOptions = { switchBytes: 1024 * 1024, maxQueuedBytes: 2 * 1024 * 1024 };

interface Queue {
  sql: string;
  chunks: Buffer[];
  bytes: number;
  rows: number;
}

/**
 * COPY text rows for several tables over one connection, so in one transaction, as they are produced: one COPY
 * statement at a time, the open one kept while it has rows to send, another table's taking over when the open one has
 * none and `switchBytes` of the other's wait. When the producer is slower than the server (a week's lines parsed and
 * checked as they are read), the server works through one table's rows in the gaps between another's instead of
 * after them all.
 * write() queues a chunk of rows (each ending in '\n') and waits only while `maxQueuedBytes` wait; one producer writes,
 * one write at a time. end() sends what is left and returns each table's row count as the server counted it. A failed
 * COPY fails the next write() and end(). abort() stops the sending with the producer's own error: an open COPY is
 * cancelled when it next asks for rows (after the server took what it was sent: a COPY waiting on a lock waits for
 * it), which fails the transaction; rows of COPYs already ended stay in it, for the caller to roll back.
 */
export class InterleavedCopy<Table extends string> {
  private readonly queues: Map<Table, Queue>;
  private readonly options: InterleavedCopyOptions;
  private queuedBytes = 0;
  private ended = false;
  private failure: Error | undefined;
  /** Ends the sender's wait for rows to send. */
  private wakeSender: (() => void) | undefined;
  /** Ends the producer's wait for room in the queues. */
  private wakeProducer: (() => void) | undefined;
  private readonly sending: Promise<void>;

  constructor(client: pg.PoolClient, copySql: Record<Table, string>, options: Partial<InterleavedCopyOptions> = {}) {
    this.options = { switchBytes: options.switchBytes ?? DEFAULTS.switchBytes, maxQueuedBytes: options.maxQueuedBytes ?? DEFAULTS.maxQueuedBytes };
    this.queues = new Map(Object.entries<string>(copySql).map(([table, sql]) => [table as Table, { sql, chunks: [], bytes: 0, rows: 0 }]));
    this.sending = this.send(client).catch((error: unknown) => {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
      this.wakeProducer?.();
    });
  }

  /** Queues rows already in COPY text format for `table`; waits while the queues are full. */
  async write(table: Table, rows: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.ended) throw new Error('InterleavedCopy: write after end');
    if (rows === '') return;
    const queue = this.queues.get(table)!;
    // As bytes: a string waiting in the queue would outlive the young generation, and copying it there and back to
    // the old generation cost more than the encoding the socket does anyway.
    const bytes = Buffer.from(rows, 'utf8');
    queue.chunks.push(bytes);
    queue.bytes += bytes.length;
    this.queuedBytes += bytes.length;
    this.wake();
    while (this.full() && !this.failure) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
    if (this.failure) throw this.failure;
  }

  /** Drops `table`'s rows not sent yet; those already sent stay written. */
  discard(table: Table): void {
    const queue = this.queues.get(table)!;
    this.queuedBytes -= queue.bytes;
    queue.chunks.length = 0;
    queue.bytes = 0;
    this.makeRoom();
  }

  /** Sends what is queued and ends; returns the rows the server counted, per table. */
  async end(): Promise<Record<Table, number>> {
    this.ended = true;
    this.wake();
    await this.sending;
    if (this.failure) throw this.failure;
    return Object.fromEntries([...this.queues].map(([table, queue]) => [table, queue.rows])) as Record<Table, number>;
  }

  /** Stops with the producer's error: nothing more is sent, and an open COPY is cancelled (failing the transaction). */
  async abort(error: Error): Promise<void> {
    this.failure ??= error;
    this.ended = true;
    this.wake();
    await this.sending;
  }

  /** More waits than the bound: the producer is held until the sender takes some. */
  private full(): boolean {
    return this.queuedBytes > this.options.maxQueuedBytes;
  }

  /** Lets a producer waiting for room go on, once there is room. */
  private makeRoom(): void {
    if (this.full()) return;
    const producer = this.wakeProducer;
    this.wakeProducer = undefined;
    producer?.();
  }

  private wake(): void {
    const sender = this.wakeSender;
    this.wakeSender = undefined;
    sender?.();
  }

  private async send(client: pg.PoolClient): Promise<void> {
    let last: Table | undefined;
    for (;;) {
      if (this.failure) return;
      // The table whose rows ended the last COPY goes next, even if the last one's own queue has filled up since.
      const next = (last === undefined ? undefined : this.nextTable(last)) ?? this.nextTable(undefined);
      if (next) {
        const queue = this.queues.get(next)!;
        queue.rows += await copyRows(client, queue.sql, this.rowsOf(next));
        last = next;
      } else if (this.ended) {
        return;
      } else {
        await new Promise<void>((resolve) => (this.wakeSender = resolve));
      }
    }
  }

  /**
   * The table whose rows go next after `open`: the fullest queue, past switchBytes while another COPY is open (at the
   * end, or while the producer waits for room, any that holds rows).
   */
  private nextTable(open: Table | undefined): Table | undefined {
    let best: Table | undefined;
    let bestBytes = 0;
    for (const [table, queue] of this.queues) {
      if (table === open || queue.bytes === 0) continue;
      if (queue.bytes > bestBytes && (this.ended || open === undefined || queue.bytes >= this.options.switchBytes || this.full())) {
        best = table;
        bestBytes = queue.bytes;
      }
    }
    return best;
  }

  /** One COPY statement's rows: `table`'s queue as it fills, until it is empty and another table's rows are due. */
  private async *rowsOf(table: Table): AsyncGenerator<Buffer> {
    const queue = this.queues.get(table)!;
    for (;;) {
      if (this.failure) throw this.failure;
      const chunk = queue.chunks.shift();
      if (chunk !== undefined) {
        queue.bytes -= chunk.length;
        this.queuedBytes -= chunk.length;
        this.makeRoom();
        yield chunk;
        continue;
      }
      if (this.ended || this.nextTable(table) !== undefined) return;
      await new Promise<void>((resolve) => (this.wakeSender = resolve));
    }
  }
}
