import { describe, expect, it } from 'vitest';
import { definitionProblem } from '@spine/platform/dataset/dataset-registry';
import { otcDataset } from '../src/dataset.ts';
import { OTC_CODEC } from '../src/partition-codec.ts';
import { OTC_CALCULATIONS } from '../src/stages/otc-calculations.ts';

const ats = { domain: 'otc', key1: 'NMS_TIER_1', key2: 'ATS', periodEnd: '2025-12-12' };
const nonAts = { domain: 'otc', key1: 'OTC', key2: 'NON_ATS', periodEnd: '2025-12-05' };

describe('the OTC dataset definition', () => {
  it('is one the orchestration can run: fetch, its own stages, then the window stages', () => {
    expect(definitionProblem(otcDataset)).toBeUndefined();
    expect(otcDataset.stages.map((s) => `${s.name}${s.spansNeighbours ? '*' : ''}`)).toEqual(['fetch', 'ingest', 'normalize', 'aggregate', 'rolling*', 'snapshot*']);
  });

  // Names stored in the database and Redis by earlier releases: changing one orphans data, jobs or locks.
  it('names ATS partitions as before the venue type existed, and NON_ATS ones with it', () => {
    expect(OTC_CODEC.captureIdPrefix(ats)).toBe('otc-NMS_TIER_1-2025-12-12');
    expect(OTC_CODEC.captureIdPrefix(nonAts)).toBe('otc-OTC-NON_ATS-2025-12-05');
    expect(OTC_CODEC.objectKeyPrefix(ats)).toBe('otc/NMS_TIER_1/2025-12-12/');
    expect(OTC_CODEC.objectKeyPrefix(nonAts)).toBe('otc/OTC/NON_ATS/2025-12-05/');
    expect(OTC_CODEC.rawExtension).toBe('psv');
    expect(OTC_CODEC.lockName(ats, 'partition')).toBe('otc:NMS_TIER_1:2025-12-12');
    expect(OTC_CODEC.lockName(nonAts, 'partition')).toBe('otc:OTC:2025-12-05:NON_ATS');
    expect(OTC_CODEC.lockName(ats, 'series')).toBe('otc:NMS_TIER_1');
    expect(OTC_CODEC.lockName(nonAts, 'series')).toBe('otc:OTC:NON_ATS');
    expect(OTC_CODEC.jobIdPart(ats)).toBe('otc-NMS_TIER_1-2025-12-12');
    expect(OTC_CODEC.jobIdPart(nonAts)).toBe('otc-OTC-NON_ATS-2025-12-05');
    expect(OTC_CODEC.seriesIdPart({ key1: 'OTC', key2: 'ATS' })).toBe('OTC');
    expect(OTC_CODEC.seriesIdPart({ key1: 'OTC', key2: 'NON_ATS' })).toBe('OTC-NON_ATS');
  });

  it('knows the first week FINRA published of each venue type, whatever the tier', () => {
    expect(otcDataset.firstPeriod({ key1: 'OTC', key2: 'ATS' })).toBe('2014-05-16');
    expect(otcDataset.firstPeriod({ key1: 'NMS_TIER_2', key2: 'NON_ATS' })).toBe('2016-04-08');
  });

  it('locks the series before the week for the window stages only', async () => {
    // The graph the specs declare (the current versions): buildStages refuses one they disagree with.
    const stages = await otcDataset.buildStages(
      Object.values(OTC_CALCULATIONS).map(([first]) => ({ calcName: first!.spec.name, calcVersion: 1, stage: first!.spec.stage, dependsOn: [...first!.spec.dependencies.dependsOn] })),
      { maxRejectShare: 0.05 },
    );
    const key = { ...nonAts, captureId: 'c' };
    expect(Object.fromEntries(stages.map((s) => [s.name, s.lockNames(key)]))).toEqual({
      ingest: ['otc:OTC:2025-12-05:NON_ATS'], normalize: ['otc:OTC:2025-12-05:NON_ATS'], aggregate: ['otc:OTC:2025-12-05:NON_ATS'],
      rolling: ['otc:OTC:NON_ATS', 'otc:OTC:2025-12-05:NON_ATS'], snapshot: ['otc:OTC:NON_ATS', 'otc:OTC:2025-12-05:NON_ATS'],
    });
  });
});
