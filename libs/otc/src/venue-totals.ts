/**
 * A week's totals per venue as ingest COPYs its lines, for otc_venue_share (DOMAIN.md: market share per MPID across
 * the tier) to read a few hundred rows of otc_week_venues instead of the week's lines: per MPID and participant name,
 * the volume, trades and lines. Names are kept apart because the share takes an MPID's smallest name in the
 * database's collation, which only the database can compare.
 */
import { addCounts, type Count } from './counts.ts';
import { detached } from './detached-text.ts';

/** Past this many (MPID, name) pairs the totals are given up: a file of made-up MPIDs must not grow memory without bound. */
export const MAX_VENUE_TOTALS = 10_000;
/** Past this many names of one MPID too: each line looks its name up among them. FINRA gives an MPID one name. */
export const MAX_NAMES_A_VENUE = 16;
/** The largest sum otc_week_venues' bigint columns hold; a venue past it gives the totals up. */
const MAX_BIGINT = 2n ** 63n - 1n;

export interface VenueTotal {
  mpid: string;
  marketParticipantName: string;
  volume: Count;
  trades: Count;
  lines: number;
}

/** One MPID's totals under one name; `otherName` chains the same MPID's totals under other names. */
interface Entry extends VenueTotal {
  otherName: Entry | undefined;
}

export class VenueTotals {
  private readonly byMpid = new Map<string, Entry>();
  private readonly entries: Entry[] = [];
  /**
   * True once more pairs came than MAX_VENUE_TOTALS, more names of one MPID than MAX_NAMES_A_VENUE, or a sum past a
   * bigint: the totals are incomplete and rows() has none (otc_venue_share then reads the lines).
   */
  gaveUp = false;

  constructor(private readonly maxTotals = MAX_VENUE_TOTALS) {}

  /** Adds one line as it was COPYed; counts are not negative, as the validator makes them. */
  add(mpid: string, marketParticipantName: string, shares: Count, trades: Count): void {
    if (this.gaveUp) return;
    const first = this.byMpid.get(mpid);
    let entry = first;
    let names = 0;
    while (entry !== undefined && entry.marketParticipantName !== marketParticipantName) {
      entry = entry.otherName;
      names += 1;
    }
    if (entry === undefined) {
      if (this.entries.length === this.maxTotals || names === MAX_NAMES_A_VENUE) return this.giveUp();
      entry = { mpid: detached(mpid), marketParticipantName: detached(marketParticipantName), volume: 0, trades: 0, lines: 0, otherName: first };
      this.byMpid.set(entry.mpid, entry);
      this.entries.push(entry);
    }
    entry.volume = addCounts(entry.volume, shares);
    entry.trades = addCounts(entry.trades, trades);
    entry.lines += 1;
    if ((typeof entry.volume === 'bigint' && entry.volume > MAX_BIGINT) || (typeof entry.trades === 'bigint' && entry.trades > MAX_BIGINT)) this.giveUp();
  }

  /** The totals in the order their pairs first came; none once given up. */
  rows(): readonly VenueTotal[] {
    return this.entries;
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.byMpid.clear();
    this.entries.length = 0;
  }
}
