import * as z from 'zod';
import type { Partition } from '../manifest.ts';
import type { DatasetDefinition, SeriesKey } from './dataset-definition.ts';
import { seriesName } from './partition-labels.ts';

/**
 * A partition under the field names of the first release, which everything that leaves a process keeps for every
 * dataset: job data (queued jobs outlive a deployment), the JSON of the command line and the HTTP API, and log fields.
 * Scripts, alerts and queued jobs read them, so renaming one breaks them; inside, a partition is a Partition. The
 * period's date is `week_ending`, the first key `tier` and the second `venue_type`, whatever the dataset calls them.
 */
export interface WirePartition {
  week_ending: string;
  tier: string;
  venue_type: string;
}

/** What a row names of a partition: an execution of a batch names none. */
export type MaybeWirePartition = { [K in keyof WirePartition]: WirePartition[K] | null };

/**
 * The core tables' partition columns under their wire names, for a SELECT list: of the table aliased `table` when
 * given; the period as YYYY-MM-DD text.
 */
export function wireColumns(table?: string): string {
  const column = (name: string) => (table ? `${table}.${name}` : name);
  return `to_char(${column('period_end')}, 'YYYY-MM-DD') AS week_ending, ${wireSeriesColumns(table)}`;
}

export function toWire(partition: Omit<Partition, 'domain'>): WirePartition {
  return { week_ending: partition.periodEnd, tier: partition.key1, venue_type: partition.key2 };
}

/** Whether two rows name the same partition. */
export function sameWirePartition(a: WirePartition, b: WirePartition): boolean {
  return a.week_ending === b.week_ending && a.tier === b.tier && a.venue_type === b.venue_type;
}

/** The wire fields of a row that carries more. */
export function wireOf(row: WirePartition): WirePartition {
  return { week_ending: row.week_ending, tier: row.tier, venue_type: row.venue_type };
}

/** Any strings: a final failure records the partition its job data names, valid or not. */
const NAMED_PARTITION = z.object({ tier: z.string(), venue_type: z.string(), week_ending: z.string() });

/**
 * The partition named by data nothing validated yet (a job that failed as invalid data): undefined unless it names one
 * in full. The second key defaults as jobs enqueued before it existed need.
 */
export function wirePartitionIn(data: Record<string, unknown>, defaultSecondKey?: string): WirePartition | undefined {
  const venueType = typeof data.venue_type === 'string' ? data.venue_type : defaultSecondKey;
  const parsed = NAMED_PARTITION.safeParse({ tier: data.tier, venue_type: venueType, week_ending: data.week_ending });
  return parsed.success ? parsed.data : undefined;
}

export function fromWire(domain: string, wire: WirePartition): Partition {
  return { domain, periodEnd: wire.week_ending, key1: wire.tier, key2: wire.venue_type };
}

/** "<first key> <second key> <period>" of what a row names of a partition (an execution of a batch names none). */
export function wireLabel(row: Partial<MaybeWirePartition>): string {
  return [row.tier, row.venue_type, row.week_ending].filter(Boolean).join(' ');
}

/** A series (a partition without its period) under the wire names: schedules, batch requests, series of answers. */
export type WireSeries = Omit<WirePartition, 'week_ending'>;

/** The wire series' fields of a zod object, each with its own schema: what a request reads for each key. */
export function wireSeriesFields<First extends z.ZodType, Second extends z.ZodType>(first: First, second: Second): { tier: First; venue_type: Second } {
  return { tier: first, venue_type: second };
}

/** The wire series' fields of a zod object (job data, schedule rows); the values are checked against the dataset where it is known. */
export const wireSeriesShape = wireSeriesFields(z.string().min(1), z.string().min(1));

/** The series keys' columns under their wire names, for a SELECT list. */
export function wireSeriesColumns(table?: string): string {
  const column = (name: string) => (table ? `${table}.${name}` : name);
  return `${column('key_1')} AS tier, ${column('key_2')} AS venue_type`;
}

export function seriesFromWire<First = string, Second = First>(wire: { tier: First; venue_type: Second }): { key1: First; key2: Second } {
  return { key1: wire.tier, key2: wire.venue_type };
}

/** The wire series of a row that carries more. */
export function wireSeriesOf(row: WireSeries): WireSeries {
  return { tier: row.tier, venue_type: row.venue_type };
}

export function toWireSeries(series: SeriesKey): WireSeries {
  return { tier: series.key1, venue_type: series.key2 };
}

/** A wire row's series as messages name it ("OTC ATS", "N"). */
export function wireSeriesName(dataset: Pick<DatasetDefinition, 'keys'>, wire: WireSeries): string {
  return seriesName(dataset, wire.tier, wire.venue_type);
}
