import { addMonths } from '@spine/platform/time/week-ending';

/**
 * FINRA's OTC weekly datasets (technical notice "OTC Transparency API Changes", 2021-03-08): weeklySummary holds a
 * rolling 12 months, weeklySummaryHistoric the weeks before that, a rolling four years, and takes filters on
 * weekStartDate (or historicalWeek/historicalMonth) and tierIdentifier only.
 */
export const CURRENT_DATASET = 'weeklySummary';
export const HISTORIC_DATASET = 'weeklySummaryHistoric';
export type FinraDataset = typeof CURRENT_DATASET | typeof HISTORIC_DATASET;

/** Weeks this close to the 12-month line may sit in either dataset (FINRA's cut-over day is not documented). */
const BOUNDARY_DAYS = 21;

/**
 * The datasets to ask for the week starting `weekStart` on `today`, in order: the one its age points to, then the
 * other one where FINRA may hold it instead. A week past the 12-month line is asked of weeklySummary too: FINRA's
 * notice says 12 months, but a public client observed weeklySummary holding weeks back to 2021 in 2026, which
 * weeklySummaryHistoric may then lack. A recent week is asked of the historic dataset only near the line, for a
 * cut-over FINRA makes a little earlier or later than we count.
 */
export function datasetsFor(weekStart: string, today: string): FinraDataset[] {
  const line = addMonths(today, -12);
  if (weekStart < line) return [HISTORIC_DATASET, CURRENT_DATASET];
  const daysFromLine = (Date.parse(weekStart) - Date.parse(line)) / 86_400_000;
  return daysFromLine > BOUNDARY_DAYS ? [CURRENT_DATASET] : [CURRENT_DATASET, HISTORIC_DATASET];
}

/** The historic dataset refuses a summaryTypeCode filter, so its rows of other grains are skipped on arrival. */
export function filtersServerSide(dataset: FinraDataset): { summaryTypeCode: boolean } {
  return { summaryTypeCode: dataset === CURRENT_DATASET };
}
