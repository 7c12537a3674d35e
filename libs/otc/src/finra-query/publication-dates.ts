import type { SourcePublication } from '@spine/platform/captures';
import type { WeeklySummaryRow } from './row-format.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isoDate(value: unknown): string | undefined {
  return typeof value === 'string' && ISO_DATE.test(value) ? value : undefined;
}

/**
 * FINRA's publication dates of a week's answer, gathered from its rows as they stream past: the earliest
 * initialPublishedDate (when the week first appeared) and the latest lastReportedDate.
 */
export class PublicationDates {
  readonly #dates: SourcePublication = {};

  add(row: WeeklySummaryRow): void {
    const published = isoDate(row.initialPublishedDate);
    const reported = isoDate(row.lastReportedDate);
    const dates = this.#dates;
    if (published && (!dates.initialPublishedDate || published < dates.initialPublishedDate)) dates.initialPublishedDate = published;
    if (reported && (!dates.lastReportedDate || reported > dates.lastReportedDate)) dates.lastReportedDate = reported;
  }

  get value(): SourcePublication {
    return { ...this.#dates };
  }
}
