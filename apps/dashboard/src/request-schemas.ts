import type { Request } from 'express';
import * as z from 'zod';
import { InputError, partitionKeys, type DatasetDefinition, type PartitionKeyDefinition } from '@spine/platform';
import { describeIssues, periodDateSchema } from '@spine/orchestration';
import { BOARD_PATH } from './bull-boards.ts';

export const weeksQuery = z.object({ weeks: z.coerce.number().int().min(1).max(260).default(12) });

/** The coverage grid: which dataset (the first registered when absent), how many periods, ending at which (the newest due one when absent). */
export const coverageQuery = weeksQuery.extend({ dataset: z.string().optional(), until: z.iso.date().optional() });

/** Which dataset a page is about: `?dataset=` when it is not the first registered. */
export const datasetQuery = z.object({ dataset: z.string().optional() });

/** One of the dataset's key values, exactly as the dataset spells it. */
const keyValue = (key: PartitionKeyDefinition) =>
  z.string().refine((value) => key.values.includes(value), { error: `not a ${key.label.toLowerCase()}: use one of ${key.values.join(', ')}` });

/** A partition of the dataset in a path: /partitions/<first key>/<second key>/<period> (a week's Friday, a trading day). */
export const partitionParams = (dataset: DatasetDefinition) =>
  z.object({
    tier: keyValue(partitionKeys(dataset)[0]), venue_type: keyValue(partitionKeys(dataset)[1]),
    week_ending: periodDateSchema(dataset),
  });
export type PartitionParams = z.infer<ReturnType<typeof partitionParams>>;

/** A partition's page; `dataset` names its dataset when it is not the first registered (the pages' default). */
export function partitionPath(p: PartitionParams | { tier: string; venue_type: string; week_ending: string }, dataset?: string): string {
  return `/partitions/${encodeURIComponent(p.tier)}/${encodeURIComponent(p.venue_type)}/${encodeURIComponent(p.week_ending)}${dataset ? `?dataset=${encodeURIComponent(dataset)}` : ''}`;
}

/**
 * A job's link from the dashboard's pages: job-links.ts sends it to the job's page on Bull Board, on the queue that
 * holds it (this release's name, or the earlier one an earlier release's job was left on).
 */
export function jobPath(job: { queue: string; id: string }): string {
  return `/jobs/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.id)}`;
}

/** A job's page on Bull Board. */
export function boardJobPath(job: { queue: string; id: string }): string {
  return `${BOARD_PATH}/queue/${encodeURIComponent(job.queue)}/${encodeURIComponent(job.id)}`;
}

/** The rows one page of a list shows. */
export const LIST_PAGE_SIZE = 50;

/** A list's page (from 1) and whether it shows problems only. */
export const listQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).default(1), problems: z.enum(['0', '1']).default('0') });
export type ListQuery = z.infer<typeof listQuery>;

export function listOptions(query: ListQuery): { offset: number; limit: number; problemsOnly: boolean } {
  return { offset: (query.page - 1) * LIST_PAGE_SIZE, limit: LIST_PAGE_SIZE, problemsOnly: query.problems === '1' };
}

/** A page's list query; a bad one is the asker's error (HTTP 400). */
export function parseListQuery(req: Request): ListQuery {
  const query = listQuery.safeParse(req.query);
  if (!query.success) throw new InputError(describeIssues(query.error));
  return query.data;
}
