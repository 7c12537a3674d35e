import { Readable } from 'node:stream';
import { capBytes } from '@spine/platform/streams/byte-cap';
import { assertWeekEnding, weekStartDate } from '@spine/platform/time/week-ending';
import type { SourcePublication } from '@spine/platform/captures';
import type { QueryAnswer, QueryApi } from '@spine/platform/sources/query-api';
import { parseTier, tierApiIdentifier, type Tier } from '../tiers.ts';
import { parseVenueType, summaryTypeCode, type VenueType } from '../venue-types.ts';
import { CURRENT_DATASET, datasetsFor, HISTORIC_DATASET } from './datasets.ts';
import { PartitionWeeks } from './partitions.ts';
import { PublicationDates } from './publication-dates.ts';
import type { WeekAsked } from '../source/week-asked.ts';
import { FINRA_FILE_COLUMNS, FINRA_FIRM_FILE_COLUMNS, formatRowLine, identityMismatch, type WeeklySummaryRow } from './row-format.ts';
import { FINRA_GROUP, weekQuery, type WeekQuery } from './week-queries.ts';

/** A week found: its file in FINRA's download format, read page by page as `body` is read. */
export interface WeekFound {
  found: true;
  body: Readable;
  /** The query as a URI, replayable as it stands. */
  sourceUri: string;
  /** FINRA's publication dates of the answer, complete once `body` has been read. */
  publication: () => SourcePublication;
}

/** No dataset asked has a row of the week: what was asked, for the caller's "not found". */
export interface WeekAbsent {
  found: false;
  tier: Tier;
  venueType: VenueType;
  asked: string[];
}

/** FINRA's weekStartDate: the Monday of the week; throws before any request unless `weekEnding` is a Friday. */
function mondayOf(weekEnding: string): string {
  assertWeekEnding(weekEnding);
  return weekStartDate(weekEnding);
}

/**
 * One week x tier x venue type from FINRA's OTC weekly datasets: the dataset the week's age points to, then the other
 * one near the 12-month line (datasets.ts). Resolves once the first page is in, so an unpublished week is known here;
 * a file larger than `maxFileBytes` fails its read (FileTooLargeError) and no more pages are asked for.
 */
export async function openWeekByQuery(
  api: QueryApi, week: WeekAsked, { today, maxFileBytes }: { today: string; maxFileBytes: number }, signal?: AbortSignal,
): Promise<WeekFound | WeekAbsent> {
  const tier = parseTier(week.tier);
  const venueType = parseVenueType(week.venueType);
  if (!tier || !venueType) throw new Error(`FINRA publishes no weekly summary for tier "${week.tier}" and venue type "${week.venueType}"`);
  const weekStart = mondayOf(week.weekEnding);
  const asked: string[] = [];
  const columns = venueType === 'NON_ATS' ? FINRA_FIRM_FILE_COLUMNS : FINRA_FILE_COLUMNS;
  const expected = { weekStartDate: weekStart, tierIdentifier: tierApiIdentifier(tier), summaryTypeCode: summaryTypeCode(venueType) };
  for (const dataset of datasetsFor(weekStart, today)) {
    const query = weekQuery(dataset, expected, columns);
    const answer = await api.open(query.request, signal);
    asked.push(answer.label);
    if (answer.empty) continue;
    const dates = new PublicationDates();
    return {
      found: true,
      body: capBytes(Readable.from(fileLines(query, answer, dates), { objectMode: false }), maxFileBytes, answer.uri),
      sourceUri: answer.uri,
      publication: () => dates.value,
    };
  }
  return { found: false, tier, venueType, asked };
}

/**
 * The weeks FINRA lists as partitions of weeklySummary, and of weeklySummaryHistoric as well when `oldestWeekEnding`
 * reaches back past the 12 months the current dataset holds: a week either lists is published, whatever its age.
 * Partitions that cannot be read reject with the client's "partitions unknown" error: unknown, not unpublished.
 */
export async function publishedWeeksByPartitions(api: QueryApi, oldestWeekEnding: string, today: string, signal?: AbortSignal): Promise<PartitionWeeks> {
  const datasets = datasetsFor(mondayOf(oldestWeekEnding), today).includes(HISTORIC_DATASET) ? [CURRENT_DATASET, HISTORIC_DATASET] : [CURRENT_DATASET];
  const weeks = new PartitionWeeks();
  for (const name of datasets) {
    await api.partitions({ group: FINRA_GROUP, name, unknown: 'which weeks are published' }, (answer) => weeks.add(answer), signal);
  }
  return weeks;
}

/**
 * The download file: the header, then the lines of each page as the pages arrive. Every row must be of the week,
 * tier and grain asked for: one that is not is an error of the source, and fails the read before anything is stored.
 * The rows' publication dates, which the file has no column for, are gathered in `dates`.
 */
async function* fileLines(query: WeekQuery, answer: QueryAnswer<WeeklySummaryRow>, dates: PublicationDates): AsyncGenerator<Buffer> {
  let seen = 0;
  let kept = 0;
  const linesOf = (rows: WeeklySummaryRow[]): string => {
    let text = '';
    for (const row of rows) {
      seen++;
      if (query.skipOtherGrains && typeof row.summaryTypeCode === 'string' && row.summaryTypeCode !== query.expected.summaryTypeCode) continue;
      const mismatch = identityMismatch(row, query.expected);
      if (mismatch) throw answer.invalid(`row ${seen} of the answer has ${mismatch}: the source answered another week, tier or grain`);
      kept++;
      dates.add(row);
      text += `${formatRowLine(row, query.columns)}\n`;
    }
    return text;
  };
  let header = `${query.columns.join('|')}\n`;
  for await (const page of answer.pages) {
    yield Buffer.from(`${header}${linesOf(page)}`);
    header = '';
  }
  if (kept === 0) throw answer.invalid(`${seen} rows answered, none of summaryTypeCode ${query.expected.summaryTypeCode}`);
}
