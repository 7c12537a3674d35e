import { once } from 'node:events';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { makeSpoolDir, releaseSpoolDir } from '@spine/platform/storage/spool';
import { lineBatches } from '@spine/platform/streams/line-batches';
import { parseCount, type Count } from './counts.ts';
import { detached } from './detached-text.ts';
import { SymbolTally, SymbolWeekGroups, type AcceptedLine, type SymbolWeekRow } from './symbol-week-results.ts';

/**
 * What one held line costs: five cells of 4 and 8 bytes. A symbol's entry (its text, the issue name of its first line,
 * a map entry), an MPID's and a count too large for a number (a map entry and the bigint) are estimated at a fixed size.
 */
const LINE_BYTES = 28;
const SYMBOL_BYTES = 256;
const MPID_BYTES = 64;
const WIDE_COUNT_BYTES = 64;
/**
 * Lines handed out (and read back from a run) at a time: a batch kept alive across two young-generation collections is
 * promoted to the old generation, whose garbage then grows the process until a full collection.
 */
const BATCH_LINES = 512;
const RUN_READ_BYTES = 16 * 1024;
const WRITE_CHUNK_CHARS = 64 * 1024;
/** A spilled record is one line of this process's own writing: symbol, line number, MPID, two counts, issue name. */
const MAX_RECORD_CHARS = 4096;

/** The held lines' order by symbol: see SymbolLineRuns.heldBySymbol. */
interface HeldBySymbol {
  sorted: string[];
  starts: Int32Array;
  order: Int32Array;
}

/** Where the merge stands in one run: the batch it read last and the line it is at. */
interface Cursor {
  batch: AcceptedLine[];
  at: number;
  /** Reads the run's next batch into `batch`; false once the run is exhausted. */
  refill(): Promise<boolean>;
}

/**
 * A week's accepted lines in any order, handed back grouped by symbol (ascending, in UTF-16 code unit order, which
 * for the validator's ASCII symbols is byte order) with each symbol's lines in the order they were added. Lines are
 * held in typed columns until their estimated size passes `maxMemoryBytes`; then they are spilled to a temporary
 * file as a run sorted the same way, and the runs are merged as they are read back. Runs are spilled in the order
 * the lines came, so a symbol's lines from an earlier run come first.
 */
export class SymbolLineRuns {
  private readonly symbolIds = new Map<string, number>();
  private symbols: string[] = [];
  private issueNames: string[] = [];
  private readonly mpidIds = new Map<string, number>();
  private mpids: string[] = [];
  private symbolOf = new Int32Array(BATCH_LINES);
  private lineOf = new Int32Array(BATCH_LINES);
  private mpidOf = new Int32Array(BATCH_LINES);
  /** Counts held as numbers; a bigint one is NaN here and kept in `wideCounts` (at 2i for shares, 2i + 1 for trades). */
  private sharesOf = new Float64Array(BATCH_LINES);
  private tradesOf = new Float64Array(BATCH_LINES);
  private readonly wideCounts = new Map<number, bigint>();
  private count = 0;
  private bytes = 0;
  private dir: string | undefined;
  private readonly runPaths: string[] = [];
  private readonly reading: ReadStream[] = [];

  constructor(private readonly maxMemoryBytes: number) {}

  /** How many runs went to disk. */
  get spilled(): number {
    return this.runPaths.length;
  }

  /** True once the held lines are estimated past the memory bound: spill() before adding more. */
  get full(): boolean {
    return this.bytes > this.maxMemoryBytes;
  }

  /** Holds one line. */
  add(line: AcceptedLine): void {
    if (this.count === this.lineOf.length) this.grow();
    let symbolId = this.symbolIds.get(line.symbol);
    if (symbolId === undefined) {
      symbolId = this.symbols.length;
      const symbol = detached(line.symbol);
      this.symbolIds.set(symbol, symbolId);
      this.symbols.push(symbol);
      this.issueNames.push(detached(line.issueName));
      this.bytes += SYMBOL_BYTES;
    }
    let mpidId = this.mpidIds.get(line.mpid);
    if (mpidId === undefined) {
      mpidId = this.mpids.length;
      const mpid = detached(line.mpid);
      this.mpidIds.set(mpid, mpidId);
      this.mpids.push(mpid);
      this.bytes += MPID_BYTES;
    }
    const i = this.count++;
    this.symbolOf[i] = symbolId;
    this.lineOf[i] = line.lineNumber;
    this.mpidOf[i] = mpidId;
    this.sharesOf[i] = this.held(line.shares, 2 * i);
    this.tradesOf[i] = this.held(line.trades, 2 * i + 1);
    this.bytes += LINE_BYTES;
  }

  /** Writes the held lines to disk as one sorted run and empties the columns for the next. */
  async spill(): Promise<void> {
    if (this.count === 0) return;
    this.dir ??= await makeSpoolDir('symbol-lines');
    const path = join(this.dir, `run-${this.runPaths.length}.psv`);
    this.runPaths.push(path);
    const out = createWriteStream(path);
    // Without a listener a full disk would crash the whole process; the error fails this spill instead.
    let writeError: Error | undefined;
    out.on('error', (error) => (writeError ??= error));
    let chunk = '';
    for (const batch of this.heldInOrder()) {
      let previous = '';
      for (const line of batch) {
        // The issue name rides on a symbol's first line of the run only: the one read back for it.
        chunk += `${line.symbol}|${line.lineNumber}|${line.mpid}|${line.shares}|${line.trades}|${line.symbol === previous ? '' : line.issueName}\n`;
        previous = line.symbol;
      }
      if (chunk.length >= WRITE_CHUNK_CHARS) {
        if (writeError) break;
        if (!out.write(chunk)) await once(out, 'drain');
        chunk = '';
      }
    }
    out.end(chunk);
    await finished(out).catch((error: Error) => (writeError ??= error));
    if (writeError) throw new Error(`symbol line spool ${path}: ${writeError.message}`, { cause: writeError });
    this.clear();
  }

  /** Every line added, grouped by symbol in ascending order, each symbol's lines in the order they came. */
  async *grouped(): AsyncGenerator<AcceptedLine[]> {
    if (this.runPaths.length === 0) {
      yield* this.heldInOrder();
      return;
    }
    const held = this.heldInOrder();
    const cursors = [...this.runPaths.map((path) => this.runCursor(path)), {
      batch: [] as AcceptedLine[], at: 0,
      refill(this: Cursor) {
        const next = held.next();
        this.batch = next.done ? [] : next.value;
        this.at = 0;
        return Promise.resolve(!next.done);
      },
    }];
    const live: Cursor[] = [];
    for (const cursor of cursors) if (await cursor.refill()) live.push(cursor);
    let out: AcceptedLine[] = [];
    while (live.length > 0) {
      let symbol = live[0]!.batch[live[0]!.at]!.symbol;
      for (const cursor of live) {
        const head = cursor.batch[cursor.at]!.symbol;
        if (head < symbol) symbol = head;
      }
      // Runs in the order they were spilled, the held lines last: a symbol's lines stay in the order they came.
      for (let c = 0; c < live.length; c++) {
        const cursor = live[c]!;
        while (cursor.batch[cursor.at]!.symbol === symbol) {
          out.push(cursor.batch[cursor.at]!);
          if (++cursor.at < cursor.batch.length) continue;
          if (await cursor.refill()) continue;
          live.splice(c--, 1);
          break;
        }
      }
      if (out.length >= BATCH_LINES) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  }

  /**
   * The week's per-symbol rows, symbols ascending, in batches; the first line of each (symbol, mpid) counts and the
   * symbols holding a later one are added to `duplicateSymbols`. Lines that all stayed in memory are tallied where
   * they are held, without a line object each.
   */
  async *symbolWeeks(duplicateSymbols: Set<string>): AsyncGenerator<SymbolWeekRow[]> {
    if (this.runPaths.length === 0) {
      yield* this.heldSymbolWeeks(duplicateSymbols);
      return;
    }
    const groups = new SymbolWeekGroups();
    let rows: SymbolWeekRow[] = [];
    for await (const batch of this.grouped()) {
      for (const line of batch) {
        const verdict = groups.add(line);
        if ('duplicateOf' in verdict) duplicateSymbols.add(line.symbol);
        else if (verdict.finished) rows.push(verdict.finished);
      }
      if (rows.length >= BATCH_LINES) {
        yield rows;
        rows = [];
      }
    }
    const last = groups.finish();
    if (last) rows.push(last);
    if (rows.length > 0) yield rows;
  }

  async dispose(): Promise<void> {
    this.clear();
    for (const stream of this.reading.splice(0)) stream.destroy();
    if (this.dir) await releaseSpoolDir(this.dir);
    this.dir = undefined;
    this.runPaths.length = 0;
  }

  /** The held lines grouped by symbol in ascending order, as lines. */
  private *heldInOrder(): Generator<AcceptedLine[]> {
    const { issueNames, mpids, lineOf, mpidOf, sharesOf, tradesOf } = this;
    const { sorted, starts, order } = this.heldBySymbol();
    let batch: AcceptedLine[] = [];
    for (const symbol of sorted) {
      const s = this.symbolIds.get(symbol)!;
      const issueName = issueNames[s]!;
      for (let k = starts[s]!; k < starts[s + 1]!; k++) {
        const i = order[k]!;
        batch.push({ lineNumber: lineOf[i]!, symbol, mpid: mpids[mpidOf[i]!]!, issueName, shares: this.countAt(sharesOf, i, 0), trades: this.countAt(tradesOf, i, 1) });
      }
      if (batch.length >= BATCH_LINES) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  /** The rows of the held lines, tallied from their columns: an MPID seen before in the same symbol is a duplicate. */
  private *heldSymbolWeeks(duplicateSymbols: Set<string>): Generator<SymbolWeekRow[]> {
    const grouped = this.heldBySymbol();
    // The symbol each MPID was last seen in: a line whose MPID was last seen in its own symbol repeats a key.
    const seenIn = new Int32Array(this.mpids.length).fill(-1);
    const tally = new SymbolTally();
    for (let from = 0; from < grouped.sorted.length; from += BATCH_LINES) {
      yield this.tallied(grouped, from, Math.min(from + BATCH_LINES, grouped.sorted.length), seenIn, tally, duplicateSymbols);
    }
  }

  /**
   * The rows of the sorted symbols `from` to `to`: a plain function rather than the generator's own loop, which V8
   * optimizes later (it runs once a process, cold: 125-128 against 105-116 ms for 104,000 symbols).
   */
  private tallied(grouped: HeldBySymbol, from: number, to: number, seenIn: Int32Array, tally: SymbolTally, duplicateSymbols: Set<string>): SymbolWeekRow[] {
    const { issueNames, mpids, mpidOf, sharesOf, tradesOf, symbolIds } = this;
    const { sorted, starts, order } = grouped;
    const rows: SymbolWeekRow[] = [];
    for (let j = from; j < to; j++) {
      const symbol = sorted[j]!;
      const s = symbolIds.get(symbol)!;
      for (let k = starts[s]!; k < starts[s + 1]!; k++) {
        const i = order[k]!;
        const m = mpidOf[i]!;
        if (seenIn[m] === s) {
          duplicateSymbols.add(symbol);
          continue;
        }
        seenIn[m] = s;
        tally.add(mpids[m]!, this.countAt(sharesOf, i, 0), this.countAt(tradesOf, i, 1));
      }
      rows.push(tally.row(symbol, issueNames[s]!)!);
    }
    return rows;
  }

  /**
   * The held lines' order grouped by symbol: a counting sort by symbol of the lines in arrival order. `order` lists
   * line indexes, symbol by symbol (`starts[s]` to `starts[s + 1]` are symbol s's), and `sorted` the symbols ascending.
   */
  private heldBySymbol(): HeldBySymbol {
    const { symbols, symbolOf, count } = this;
    const starts = new Int32Array(symbols.length + 1);
    for (let i = 0; i < count; i++) starts[symbolOf[i]! + 1]! += 1;
    for (let s = 0; s < symbols.length; s++) starts[s + 1]! += starts[s]!;
    const next = starts.slice(0, symbols.length);
    const order = new Int32Array(count);
    for (let i = 0; i < count; i++) order[next[symbolOf[i]!]!++] = i;
    // The default sort compares UTF-16 code units without calling back into JavaScript: faster than a comparator.
    return { sorted: symbols.slice().sort(), starts, order };
  }

  /** Reads a spilled run back, batch by batch: each record's issue name is its symbol's, or empty after the first. */
  private runCursor(path: string): Cursor {
    const stream = createReadStream(path, { highWaterMark: RUN_READ_BYTES });
    this.reading.push(stream);
    const batches = lineBatches(stream, MAX_RECORD_CHARS);
    return {
      batch: [],
      at: 0,
      async refill(this: Cursor) {
        for (;;) {
          const next = await batches.next();
          if (next.done) return false;
          this.batch = [];
          for (const record of next.value) {
            if (typeof record !== 'string' || record === '') continue;
            const [symbol, lineNumber, mpid, shares, trades, issueName] = record.split('|') as [string, string, string, string, string, string];
            this.batch.push({ symbol, lineNumber: Number(lineNumber), mpid, shares: parseCount(shares), trades: parseCount(trades), issueName });
          }
          this.at = 0;
          if (this.batch.length > 0) return true;
        }
      },
    };
  }

  /** A count as its column holds it: a number as it is, a bigint as NaN with the value kept aside under `key`. */
  private held(count: Count, key: number): number {
    if (typeof count === 'number') return count;
    this.wideCounts.set(key, count);
    this.bytes += WIDE_COUNT_BYTES;
    return Number.NaN;
  }

  /** Line i's count from its column; `which` is 0 for shares, 1 for trades. */
  private countAt(column: Float64Array, i: number, which: 0 | 1): Count {
    const count = column[i]!;
    // NaN is the one value not equal to itself: the mark of a count kept aside.
    return count === count ? count : this.wideCounts.get(2 * i + which)!;
  }

  private grow(): void {
    const wider32 = (column: Int32Array) => {
      const next = new Int32Array(column.length * 2);
      next.set(column);
      return next;
    };
    const wider64 = (column: Float64Array) => {
      const next = new Float64Array(column.length * 2);
      next.set(column);
      return next;
    };
    this.symbolOf = wider32(this.symbolOf);
    this.lineOf = wider32(this.lineOf);
    this.mpidOf = wider32(this.mpidOf);
    this.sharesOf = wider64(this.sharesOf);
    this.tradesOf = wider64(this.tradesOf);
  }

  private clear(): void {
    this.symbolIds.clear();
    this.symbols = [];
    this.issueNames = [];
    this.mpidIds.clear();
    this.mpids = [];
    this.wideCounts.clear();
    this.count = 0;
    this.bytes = 0;
  }
}
