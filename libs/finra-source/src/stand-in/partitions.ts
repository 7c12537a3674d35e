import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TIERS, tierApiIdentifier } from '@spine/otc/tiers';
import { isWeekEnding, weekStartDate } from '../week-dates.ts';
import { weekEndingOfFileName } from '../week-file-name.ts';

export interface PartitionsAnswer {
  datasetGroup: 'otcMarket';
  datasetName: 'weeklySummary';
  partitionFields: ['tierIdentifier', 'weekStartDate'];
  /** API tier identifier (T1, T2, OTCE) -> the weekStartDate (Monday) of every week with a fixture, ascending. */
  weekStartDates: Record<string, string[]>;
}

/** The weeks the fixtures hold, per tier: every `<TIER>/<Friday>.psv` under the fixtures directory. */
export async function listPartitions(fixturesDir: string): Promise<PartitionsAnswer> {
  const weekStartDates: Record<string, string[]> = {};
  for (const tier of TIERS) {
    const files = await readdir(path.join(fixturesDir, tier)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    weekStartDates[tierApiIdentifier(tier)] = files
      .map(weekEndingOfFileName)
      .filter((weekEnding): weekEnding is string => weekEnding !== undefined && isWeekEnding(weekEnding))
      .map(weekStartDate)
      .sort();
  }
  return { datasetGroup: 'otcMarket', datasetName: 'weeklySummary', partitionFields: ['tierIdentifier', 'weekStartDate'], weekStartDates };
}

