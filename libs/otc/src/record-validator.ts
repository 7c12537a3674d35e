import { OverlongLine } from '@spine/platform/streams/line-batches';
import { parseTier, tierDescription, type Tier } from './tiers.ts';
import { shortCountAt, type Count } from './counts.ts';
import type { FileFormat } from './file-format.ts';
import { nonAtsVenueKey, type VenueType } from './venue-types.ts';

export const REJECT_CODES = ['PARSE_ERROR', 'INVALID_TIER', 'INVALID_SYMBOL', 'INVALID_MPID', 'NEGATIVE_VOLUME',
  'NEGATIVE_TRADES', 'DUPLICATE_KEY', 'WEEK_MISMATCH'] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** One accepted source row, symbol and MPID normalized (trimmed, upper-cased); counts kept as exact decimal text. */
export interface OtcRecord {
  symbol: string;
  issueName: string;
  marketParticipantName: string;
  /** The venue: the MPID, or for a non-ATS firm without one its CRD key (nonAtsVenueKey). */
  mpid: string;
  firmCrdNumber: string | null;
  shares: string;
  trades: string;
  lastUpdateDate: string | null;
}

export type LineVerdict = { ok: true; record: OtcRecord } | { ok: false; code: RejectCode; detail: string };

/**
 * The longest data line accepted. A FINRA line is tier, symbol, issue name, participant name, MPID, two counts and a
 * date: a few hundred characters at most. Longer lines are rejected before being split, so a hostile file cannot
 * make the validator work through megabytes of one field; the line splitter (lineBatches) cuts them at this length.
 */
export const MAX_LINE_CHARS = 1024;

// C0 controls other than tab, DEL, and C1 controls: no field of a week file holds them, PostgreSQL text cannot hold
// NUL, and they can hide text from whoever reads the data later. Tab is left to the field checks.
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;

const SYMBOL = /^[A-Z0-9][A-Z0-9./-]{0,15}$/;
const MPID = /^[A-Z0-9]{4}$/;
const INTEGER = /^-?\d+$/;
const CRD = /^\d{1,12}$/;
const WIDTH: Record<FileFormat, number> = { finra: 8, finra_firm: 9, legacy: 6 };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const INT64_MAX = 9223372036854775807n;

function integerProblem(name: string, value: string): string | undefined {
  if (!INTEGER.test(value)) return `${name} "${value}" is not an integer`;
  // Eighteen characters (a sign and 17 digits, or 18 digits) always fit a BIGINT; only longer values need the exact
  // comparison.
  if (value.length > 18 && (BigInt(value) > INT64_MAX || BigInt(value) < -INT64_MAX - 1n)) {
    return `${name} ${value} does not fit a 64-bit integer`;
  }
  return undefined;
}

// A week file repeats a handful of dates on every line; building a Date for each line cost a third of the parse.
const checkedDates = new Map<string, boolean>();
const CHECKED_DATES_MAX = 4096;

function isValidDate(value: string): boolean {
  const known = checkedDates.get(value);
  if (known !== undefined) return known;
  const d = new Date(`${value}T00:00:00Z`);
  const valid = ISO_DATE.test(value) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
  if (checkedDates.size >= CHECKED_DATES_MAX) checkedDates.clear();
  checkedDates.set(value, valid);
  return valid;
}

function reject(code: RejectCode, detail: string): LineVerdict {
  return { ok: false, code, detail };
}

/**
 * Validates one data line of a week file for the tier and week the caller asked for. Checks run in a fixed order
 * (length and control characters first) and the first failure names the line's reject code; duplicates are found
 * later, set-based, across the file.
 */
export function validateLine(line: string | OverlongLine, format: FileFormat, expected: { tier: Tier; weekEnding: string; venueType: VenueType }): LineVerdict {
  if (line instanceof OverlongLine || line.length > MAX_LINE_CHARS) return reject('PARSE_ERROR', `line is ${line.length} characters, more than the ${MAX_LINE_CHARS} allowed`);
  const control = CONTROL.exec(line);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return reject('PARSE_ERROR', `control character U+${code} at column ${control.index + 1}`);
  }
  const fields = line.split('|');
  const width = WIDTH[format];
  if (fields.length !== width) return reject('PARSE_ERROR', `expected ${width} fields, found ${fields.length}`);

  const [tierText, symbolText, issueName, participant, mpidText, shares, trades, lastUpdate] =
    format !== 'legacy'
      ? (fields as [string, string, string, string, string, string, string, string])
      : [fields[1]!, fields[2]!, '', '', fields[3]!, fields[4]!, fields[5]!, ''];
  const sharesText = shares.trim();
  const tradesText = trades.trim();
  const problem = integerProblem('share quantity', sharesText) ?? integerProblem('trade count', tradesText);
  if (problem) return reject('PARSE_ERROR', problem);
  const lastUpdateText = lastUpdate.trim();
  const lastUpdateDate = lastUpdateText === '' ? null : lastUpdateText;
  if (lastUpdateDate !== null && !isValidDate(lastUpdateDate)) return reject('PARSE_ERROR', `lastUpdateDate "${lastUpdate}" is not a YYYY-MM-DD date`);
  const legacyWeek = format === 'legacy' ? fields[0]!.trim() : null;
  if (legacyWeek !== null && !isValidDate(legacyWeek)) return reject('PARSE_ERROR', `WeekEnding "${fields[0]}" is not a YYYY-MM-DD date`);

  const tier = parseTier(tierText);
  if (tier === undefined) return reject('INVALID_TIER', `unknown tier "${tierText}"`);
  if (tier !== expected.tier) return reject('INVALID_TIER', `row is ${tier}, file is ${expected.tier}`);

  if (legacyWeek !== null && legacyWeek !== expected.weekEnding) {
    return reject('WEEK_MISMATCH', `WeekEnding ${legacyWeek} is not the requested week ${expected.weekEnding}`);
  }
  if (lastUpdateDate !== null && lastUpdateDate < expected.weekEnding) {
    return reject('WEEK_MISMATCH', `lastUpdateDate ${lastUpdateDate} is before week ending ${expected.weekEnding}`);
  }

  const symbol = symbolText.trim().toUpperCase();
  if (!SYMBOL.test(symbol)) return reject('INVALID_SYMBOL', `symbol "${symbolText}" is not a valid symbol`);
  const crdText = format === 'finra_firm' ? fields[8]!.trim() : '';
  if (crdText !== '' && !CRD.test(crdText)) return reject('PARSE_ERROR', `firmCRDNumber "${fields[8]}" is not a number`);
  const firmCrdNumber = crdText === '' ? null : String(BigInt(crdText));
  const mpidUpper = mpidText.trim().toUpperCase();
  // A non-ATS firm may have no MPID: its CRD number (or FINRA's unattributed aggregate) is then its key, never a reject.
  const mpid = expected.venueType === 'NON_ATS' ? nonAtsVenueKey(mpidUpper, firmCrdNumber) : mpidUpper;
  if (mpid === mpidUpper && !MPID.test(mpid)) return reject('INVALID_MPID', `MPID "${mpidText}" is not four letters or digits`);
  if (sharesText.startsWith('-') && /[1-9]/.test(sharesText)) return reject('NEGATIVE_VOLUME', `share quantity ${sharesText} is negative`);
  if (tradesText.startsWith('-') && /[1-9]/.test(tradesText)) return reject('NEGATIVE_TRADES', `trade count ${tradesText} is negative`);

  return {
    ok: true,
    record: { symbol, issueName: issueName.trim(), marketParticipantName: participant.trim(), mpid, firmCrdNumber, shares: sharesText, trades: tradesText, lastUpdateDate },
  };
}

/** A line that validateLine accepts as written (see VerbatimLines), and where its stored text begins. */
export interface VerbatimLine extends OtcRecord {
  firmCrdNumber: null;
  lastUpdateDate: string;
  /** Where the symbol begins: from there to its end the line is symbol to lastUpdateDate, '|' apart, as stored. */
  symbolAt: number;
  /** shares and trades, read. */
  shareCount: Count;
  tradeCount: Count;
}

/**
 * Recognizes the lines of a download file that validateLine accepts without changing a field, as FINRA writes them:
 * the expected tier in FINRA's spelling, symbol and MPID upper-case without blanks, names without blanks around them,
 * counts of at most 18 digits, a valid date not before the week, and no backslash (nothing for COPY text to escape).
 * Ingest stores such a line as it is instead of splitting it into fields and joining them again. Any other line,
 * valid or not, is left to validateLine (undefined), and so is every line of another format.
 */
export class VerbatimLines {
  private readonly tierPrefix: string;
  /** The last lastUpdateDate found valid and not before the week: a file repeats one date on every line. */
  private knownDate = '';

  constructor(private readonly format: FileFormat, private readonly expected: { tier: Tier; weekEnding: string; venueType: VenueType }) {
    this.tierPrefix = `${tierDescription(expected.tier)}|`;
  }

  match(line: string | OverlongLine): VerbatimLine | undefined {
    if (this.format !== 'finra' || typeof line !== 'string' || line.length > MAX_LINE_CHARS || !line.startsWith(this.tierPrefix)) return undefined;
    if (line.includes('\\') || CONTROL.test(line)) return undefined;
    const symbolAt = this.tierPrefix.length;
    const nameAt = line.indexOf('|', symbolAt) + 1;
    const participantAt = nameAt && line.indexOf('|', nameAt) + 1;
    const mpidAt = participantAt && line.indexOf('|', participantAt) + 1;
    const sharesAt = mpidAt && line.indexOf('|', mpidAt) + 1;
    const tradesAt = sharesAt && line.indexOf('|', sharesAt) + 1;
    const dateAt = tradesAt && line.indexOf('|', tradesAt) + 1;
    if (!dateAt || line.includes('|', dateAt)) return undefined;
    const symbol = line.slice(symbolAt, nameAt - 1);
    const mpid = line.slice(mpidAt, sharesAt - 1);
    const shareCount = shortCountAt(line, sharesAt, tradesAt - 1);
    const tradeCount = shortCountAt(line, tradesAt, dateAt - 1);
    if (!SYMBOL.test(symbol) || !MPID.test(mpid) || shareCount === undefined || tradeCount === undefined) return undefined;
    if (!unpadded(line, nameAt, participantAt - 1) || !unpadded(line, participantAt, mpidAt - 1) || !this.knownGoodDate(line, dateAt)) return undefined;
    return { symbol, issueName: line.slice(nameAt, participantAt - 1), marketParticipantName: line.slice(participantAt, mpidAt - 1), mpid,
      firmCrdNumber: null, shares: line.slice(sharesAt, tradesAt - 1), trades: line.slice(tradesAt, dateAt - 1), lastUpdateDate: this.knownDate, symbolAt,
      shareCount, tradeCount };
  }

  private knownGoodDate(line: string, at: number): boolean {
    // Until a date has been found valid, knownDate is empty, and an empty date field (NULL, not '') must not match it.
    if (this.knownDate !== '' && line.length - at === this.knownDate.length && line.startsWith(this.knownDate, at)) return true;
    const date = line.slice(at);
    if (!isValidDate(date) || date < this.expected.weekEnding) return false;
    this.knownDate = date;
    return true;
  }
}

/** True when the text from `start` to `end` has nothing trim() would take off: printable ASCII at both ends, or empty. */
function unpadded(line: string, start: number, end: number): boolean {
  if (start === end) return true;
  const first = line.charCodeAt(start);
  const last = line.charCodeAt(end - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f;
}
