import type { DatasetDefinition, PartitionKeyDefinition } from '@spine/platform';
import { isDailyHeader } from './daily-file.ts';
import { CALENDAR, DOMAIN, PIPELINE, firstTradeDate } from './domain.ts';
import { MARKET_CODES, parseMarketCode, type MarketCode } from './facilities.ts';
import { REGSHO_CODEC } from './partition-codec.ts';
import { REGSHO_STAGES } from './stages/stage-chain.ts';
import { symbolsMissing } from './symbols-missing.ts';

/** The partition's one key: the reporting facility whose daily file it is. */
export const marketCodeKey: PartitionKeyDefinition = { field: 'market_code', label: 'Facility', values: MARKET_CODES, parse: parseMarketCode };

/**
 * FINRA's Reg SHO daily short-sale volume (DOMAIN.md): one trade date (XNYS trading days) x one reporting facility.
 * Every member but the source factory (`openSource`), which comes with the dataset's sources (Query API, dir:, s3:)
 * and is added here when they are built; until then it runs from local files (runPartition, `spine run-week`).
 */
export const regshoDataset: Omit<DatasetDefinition, 'openSource'> = {
  name: DOMAIN,
  pipeline: PIPELINE,
  title: 'Reg SHO daily short-sale volume',
  publisher: 'FINRA',
  period: { kind: 'trading_day', calendar: CALENDAR, field: 'trade_date', label: 'Trade date' },
  keys: [marketCodeKey],
  firstPeriod: (series) => firstTradeDate(series.tier as MarketCode),
  stages: REGSHO_STAGES,
  // The ingest code loads with the first stage a process runs, as OTC's does.
  async buildStages(graph, options) {
    const { buildRegshoStages } = await import('./stages/regsho-stages.ts');
    const raw = options.source;
    if (raw && !isDailyHeader(raw.firstLine)) {
      throw new Error(`${raw.uri} is not a FINRA Reg SHO daily short-sale volume file (first line "${raw.firstLine.slice(0, 80)}")`);
    }
    return buildRegshoStages(graph, { source: raw, maxRejectShare: options.maxRejectShare });
  },
  codec: REGSHO_CODEC,
  prepareFile: async (request) => (await import('./prepare-file.ts')).prepareDailyFile(request),
  applyRetention: async (pool, options) => (await import('./retention.ts')).applyRetention(pool, options),
  symbolsMissing,
};
