import { CONSOLIDATED_FILE_PREFIX, FACILITIES, MARKET_CODES, type MarketCode } from './facilities.ts';

/**
 * FINRA's "Regulation SHO Daily Short Sale Volume File Layout" (in effect since 2011-02-28): a header line, one line
 * per security, and a trailer line holding the number of records the file was produced with. A day without short
 * sales still has a file: its header and a trailer of 0.
 */
export const DAILY_HEADER = 'Date|Symbol|ShortVolume|ShortExemptVolume|TotalVolume|Market';
/** The layout before 2011-02-28, without the short-exempt column: no partition this product loads is that old. */
const PRE_2011_HEADER = 'Date|Symbol|ShortVolume|TotalVolume|Market';

export const REJECT_CODES = ['PARSE_ERROR', 'DATE_MISMATCH', 'INVALID_SYMBOL', 'INVALID_VOLUME', 'SHORT_EXCEEDS_TOTAL',
  'EXEMPT_EXCEEDS_SHORT', 'DUPLICATE_SYMBOL'] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** One accepted line: the symbol upper-cased, volumes as exact decimal text (2026's files carry fractions). */
export interface ShortVolumeRecord {
  symbol: string;
  shortVolume: string;
  shortExemptVolume: string;
  totalVolume: string;
}

export type LineVerdict = { ok: true; record: ShortVolumeRecord } | { ok: false; code: RejectCode; detail: string };

export type DailyFileProblem = 'header' | 'consolidated' | 'market' | 'trailer' | 'count';

/** A file that cannot be loaded at all (wrong layout, another facility, a trailer that disagrees with its lines). */
export class DailyFileError extends Error {
  override readonly name = 'DailyFileError';
  constructor(readonly problem: DailyFileProblem, message: string, readonly lineNumber?: number) {
    super(lineNumber === undefined ? message : `line ${lineNumber}: ${message}`);
  }
}

/** What a file must hold: the partition it is loaded as. */
export interface DailyFileExpectation {
  tradeDate: string;
  marketCode: MarketCode;
}

/** The longest line accepted: a date, a 14-character symbol, three volumes and a code fit in well under this. */
export const MAX_LINE_CHARS = 256;
/** A symbol as the daily files write it (upper case): 1 to 14 letters, digits or . / $ + = ^ -. */
export const SYMBOL = /^[A-Z0-9][A-Z0-9./$+=^-]{0,13}$/;
const VOLUME = /^\d{1,15}(\.\d{1,6})?$/;
const TRAILER = /^\d{1,12}$/;

/** Compares two non-negative decimals written as VOLUME allows, exactly (no floating point). */
function compareDecimal(a: string, b: string): number {
  const [ai = '', af = ''] = a.split('.');
  const [bi = '', bf = ''] = b.split('.');
  const aInt = ai.replace(/^0+(?=\d)/, '');
  const bInt = bi.replace(/^0+(?=\d)/, '');
  if (aInt.length !== bInt.length) return aInt.length < bInt.length ? -1 : 1;
  if (aInt !== bInt) return aInt < bInt ? -1 : 1;
  const width = Math.max(af.length, bf.length);
  const aFrac = af.padEnd(width, '0');
  const bFrac = bf.padEnd(width, '0');
  return aFrac === bFrac ? 0 : aFrac < bFrac ? -1 : 1;
}

/**
 * Reads one daily file line by line in one pass. Lines are given as they come (`line`); the reader holds the last one
 * back, since only the end of the file tells a trailer from a record, and `end()` checks the trailer's count against
 * the records seen. Linear in the file: one set of the symbols seen, nothing else kept.
 */
export class DailyFileReader {
  private readonly compactDate: string;
  private readonly symbols = new Set<string>();
  private pending: { text: string; lineNumber: number } | undefined;
  private headerSeen = false;
  private records = 0;

  constructor(private readonly expected: DailyFileExpectation) {
    this.compactDate = expected.tradeDate.replaceAll('-', '');
  }

  /**
   * Takes the next line of the file (its line end already removed) and returns the verdict on the line before it,
   * if that one was a record. Blank lines are not records and are passed over.
   */
  line(raw: string, lineNumber: number): { lineNumber: number; raw: string; verdict: LineVerdict } | undefined {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!this.headerSeen) {
      this.header(text, lineNumber);
      return undefined;
    }
    if (text.trim() === '') return undefined;
    const previous = this.pending;
    this.pending = { text, lineNumber };
    if (!previous) return undefined;
    this.records++;
    return { lineNumber: previous.lineNumber, raw: previous.text, verdict: this.record(previous.text, previous.lineNumber) };
  }

  /** The file ended: its last line must be the trailer, and its count the number of records. */
  end(): { records: number } {
    if (!this.headerSeen) throw new DailyFileError('header', 'the file is empty: a daily file has a header line and a trailer line at least');
    const trailer = this.pending;
    if (!trailer) throw new DailyFileError('trailer', 'the file ends after its header: the trailer line with the record count is missing');
    const count = trailer.text.trim();
    if (!TRAILER.test(count)) {
      throw new DailyFileError('trailer', `the last line is not a trailer with the record count ("${count.slice(0, 40)}"); the file may be cut short`, trailer.lineNumber);
    }
    if (Number(count) !== this.records) {
      throw new DailyFileError('count', `the trailer counts ${Number(count)} records but the file holds ${this.records}`, trailer.lineNumber);
    }
    return { records: this.records };
  }

  private header(text: string, lineNumber: number): void {
    const header = text.replace(/^\uFEFF/, '').trim();
    if (isDailyHeader(header)) {
      this.headerSeen = true;
      return;
    }
    if (header === PRE_2011_HEADER) {
      throw new DailyFileError('header', 'this is the layout FINRA used before 2011-02-28 (no ShortExemptVolume column); it is not loaded', lineNumber);
    }
    throw new DailyFileError('header', `the first line is not FINRA's daily short-sale volume header (${DAILY_HEADER})`, lineNumber);
  }

  private record(text: string, lineNumber: number): LineVerdict {
    if (text.length > MAX_LINE_CHARS) return { ok: false, code: 'PARSE_ERROR', detail: `the line is longer than ${MAX_LINE_CHARS} characters` };
    const fields = text.split('|');
    if (fields.length !== 6) return { ok: false, code: 'PARSE_ERROR', detail: `expected 6 fields separated by |, found ${fields.length}` };
    const [date, rawSymbol, shortVolume, shortExemptVolume, totalVolume, market] = fields.map((f) => f.trim()) as [string, string, string, string, string, string];
    if (market.includes(',')) {
      throw new DailyFileError('consolidated', `Market "${market}" sums several facilities (FINRA's consolidated ${CONSOLIDATED_FILE_PREFIX} file): ` +
        `it cannot be split by facility, so load the facility files instead (${MARKET_CODES.map((c) => FACILITIES[c].filePrefix).join(', ')})`, lineNumber);
    }
    if (market.toUpperCase() !== this.expected.marketCode) {
      const facility = FACILITIES[this.expected.marketCode];
      throw new DailyFileError('market', `Market "${market}" is not ${this.expected.marketCode} (${facility.name}), the facility this file is loaded as`, lineNumber);
    }
    if (date !== this.compactDate) return { ok: false, code: 'DATE_MISMATCH', detail: `Date ${date} is not the file's trade date ${this.compactDate}` };
    const symbol = rawSymbol.toUpperCase();
    if (!SYMBOL.test(symbol)) return { ok: false, code: 'INVALID_SYMBOL', detail: `Symbol "${rawSymbol.slice(0, 20)}" is not 1 to 14 letters, digits or . / $ + = ^ -` };
    for (const [name, value] of [['ShortVolume', shortVolume], ['ShortExemptVolume', shortExemptVolume], ['TotalVolume', totalVolume]] as const) {
      if (!VOLUME.test(value)) return { ok: false, code: 'INVALID_VOLUME', detail: `${name} "${value.slice(0, 30)}" is not a non-negative number` };
    }
    if (compareDecimal(shortVolume, totalVolume) > 0) {
      return { ok: false, code: 'SHORT_EXCEEDS_TOTAL', detail: `ShortVolume ${shortVolume} is more than TotalVolume ${totalVolume}` };
    }
    if (compareDecimal(shortExemptVolume, shortVolume) > 0) {
      return { ok: false, code: 'EXEMPT_EXCEEDS_SHORT', detail: `ShortExemptVolume ${shortExemptVolume} is more than ShortVolume ${shortVolume} (which includes it)` };
    }
    if (this.symbols.has(symbol)) return { ok: false, code: 'DUPLICATE_SYMBOL', detail: `${symbol} appeared on an earlier line of this file` };
    this.symbols.add(symbol);
    return { ok: true, record: { symbol, shortVolume, shortExemptVolume, totalVolume } };
  }
}

/** Whether a file's first line is the layout's header (a byte-order mark and surrounding blanks allowed). */
export function isDailyHeader(line: string): boolean {
  return line.replace(/^\uFEFF/, '').trim() === DAILY_HEADER;
}

/** The name FINRA gives a facility's file of one trade date, e.g. `FNSQshvol20250110.txt`. */
export function dailyFileName(marketCode: MarketCode, tradeDate: string): string {
  return `${FACILITIES[marketCode].filePrefix}shvol${tradeDate.replaceAll('-', '')}.txt`;
}
