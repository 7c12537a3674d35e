export interface RequestLogEntry {
  seq: number;
  /** ISO timestamp of arrival. */
  at: string;
  method: string;
  path: string;
  status: number;
  /** False when the client went away before the answer was complete (e.g. its timeout fired). */
  completed: boolean;
  durationMs: number;
  /** weeklySummary or weeklySummaryHistoric, for data and partitions requests. */
  dataset?: string;
  tier?: string;
  weekEnding?: string;
  offset?: number;
  limit?: number;
  rows?: number;
  /** Rows matching the query: the Record-Total FINRA would send. */
  total?: number;
  fault?: string;
  /** Only when credentials are configured: whether the request carried a valid bearer token the stand-in issued. */
  authorized?: boolean;
}

/** Keeps the most recent requests so tests, including ones in other processes, can assert on traffic. */
export class RequestLog {
  static readonly CAPACITY = 1000;
  #entries: RequestLogEntry[] = [];
  #seq = 0;

  add(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full = { seq: ++this.#seq, ...entry };
    this.#entries.push(full);
    if (this.#entries.length > RequestLog.CAPACITY) this.#entries.shift();
    return full;
  }

  list(): RequestLogEntry[] {
    return [...this.#entries];
  }

  clear(): void {
    this.#entries = [];
  }
}
