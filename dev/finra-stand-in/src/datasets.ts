import { addMonths } from '@spine/platform';

/**
 * FINRA's two OTC weekly datasets ("OTC Transparency API Changes", FINRA technical notice of 2021-03-08):
 * weeklySummary holds a rolling 12 months, weeklySummaryHistoric the weeks before that, a rolling four years.
 */
export const STAND_IN_DATASETS = ['weeklySummary', 'weeklySummaryHistoric'] as const;
export type StandInDataset = (typeof STAND_IN_DATASETS)[number];

/** The months weeklySummary holds by FINRA's notice. */
export const CURRENT_MONTHS = 12;

/** Which dataset holds the week starting on `weekStart` on the day `today`, or undefined when neither does. */
export function datasetHolding(weekStart: string, today: string, currentMonths = CURRENT_MONTHS): StandInDataset | undefined {
  if (weekStart > today) return undefined;
  if (weekStart >= addMonths(today, -currentMonths)) return 'weeklySummary';
  if (weekStart >= addMonths(today, -48)) return 'weeklySummaryHistoric';
  return undefined;
}

/**
 * The historic dataset filters on weekStartDate, historicalWeek or historicalMonth, optionally refined by
 * tierIdentifier, and nothing else (same notice). The stand-in implements the weekStartDate form.
 */
export const HISTORIC_FILTER_FIELDS = new Set(['weekStartDate', 'historicalWeek', 'historicalMonth', 'tierIdentifier']);
