import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { TIERS, tierApiIdentifier } from '@spine/otc/tiers';
import { isFriday, weekStartDate } from '@spine/platform';
import { weekEndingOfFileName } from '@spine/otc/source/week-file-name';
import { datasetHolding, type StandInDataset } from './datasets.ts';
import { finraErrorBody } from './finra-error.ts';

/** GET Partitions (developer.finra.org/get-partitions): partition values, newest first in FINRA's sample. */
export interface PartitionsAnswer {
  datasetGroup: 'otcMarket';
  datasetName: StandInDataset;
  partitionFields: ['weekStartDate', 'tierIdentifier'];
  availablePartitions: { partitions: [string, string] }[];
}

/** FINRA's answer when a dataset has no partitions: a 200 with a status body, not an empty list. */
export type NoPartitionsAnswer = ReturnType<typeof finraErrorBody> & { partitionAvailabilityRequest: { action: 'GET'; group: string; name: string; getDetails: false } };

/** The weeks of `dataset` on `today`: every `<TIER>/<Friday>.psv` fixture whose week the dataset holds. */
export async function listPartitions(fixturesDir: string, dataset: StandInDataset, today: string, currentMonths?: number): Promise<PartitionsAnswer | NoPartitionsAnswer> {
  const partitions: [string, string][] = [];
  for (const tier of TIERS) {
    const files = await readdir(path.join(fixturesDir, tier)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    const nonAts = await readdir(path.join(fixturesDir, tier, 'NON_ATS')).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return [];
      throw error;
    });
    // FINRA's partitions are week x tier: a week is listed when either venue type's summary is there.
    const weeks = new Set([...files, ...nonAts].map(weekEndingOfFileName).filter((w): w is string => w !== undefined && isFriday(w)));
    for (const weekEnding of weeks) {
      const start = weekStartDate(weekEnding);
      if (datasetHolding(start, today, currentMonths) === dataset) partitions.push([start, tierApiIdentifier(tier)]);
    }
  }
  if (partitions.length === 0) {
    return { ...finraErrorBody(200, 'No partitions found for specified dataset.'), partitionAvailabilityRequest: { action: 'GET', group: 'otcMarket', name: dataset, getDetails: false } };
  }
  partitions.sort((a, b) => (a[0] === b[0] ? a[1].localeCompare(b[1]) : b[0].localeCompare(a[0])));
  return { datasetGroup: 'otcMarket', datasetName: dataset, partitionFields: ['weekStartDate', 'tierIdentifier'], availablePartitions: partitions.map((p) => ({ partitions: p })) };
}
