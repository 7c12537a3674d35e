import type { WeekAsked } from './week-asked.ts';
import { assertWeekEnding } from '@spine/platform/time/week-ending';

/**
 * The naming rule shared by the directory source, the S3 prefix source and the stand-in's fixtures:
 * `<TIER>/<week_ending>.psv` for ATS volume and `<TIER>/NON_ATS/<week_ending>.psv` for non-ATS volume, TIER being the
 * canonical code (NMS_TIER_1, NMS_TIER_2, OTC). Always '/'-separated: it is an object key suffix as well as a path.
 */
export function weekFileName({ tier, weekEnding, venueType }: Pick<WeekAsked, 'tier' | 'weekEnding'> & { venueType?: string }): string {
  assertWeekEnding(weekEnding);
  return venueType === 'NON_ATS' ? `${tier}/NON_ATS/${weekEnding}.psv` : `${tier}/${weekEnding}.psv`;
}

const WEEK_FILE = /^(\d{4}-\d{2}-\d{2})\.psv$/;

/** The week ending a file name denotes under the naming rule, or undefined for other files. */
export function weekEndingOfFileName(fileName: string): string | undefined {
  return WEEK_FILE.exec(fileName)?.[1];
}
