import { fileURLToPath } from 'node:url';
import type { DatasetDefinition, PartitionKeyDefinition } from '@spine/platform';
import { isDailyHeader } from './daily-file.ts';
import { CALENDAR, DOMAIN, PIPELINE, firstTradeDate } from './domain.ts';
import { MARKET_CODES, parseMarketCode, type MarketCode } from './facilities.ts';
import { REGSHO_CODEC } from './partition-codec.ts';
import { openRegShoSource } from './source/regsho-source.ts';
import { REGSHO_QUERY_COMMANDS } from './research/query-commands.ts';
import { REGSHO_STAGES } from './stages/stage-chain.ts';
import { symbolsMissing } from './symbols-missing.ts';

/** The partition's one key: the reporting facility whose daily file it is. */
export const marketCodeKey: PartitionKeyDefinition = { field: 'market_code', label: 'Facility', values: MARKET_CODES, parse: parseMarketCode };

/** FINRA's Reg SHO daily short-sale volume (DOMAIN.md): one trade date (XNYS trading days) x one reporting facility. */
export const regshoDataset: DatasetDefinition = {
  name: DOMAIN,
  pipeline: PIPELINE,
  title: 'Reg SHO daily short-sale volume',
  publisher: 'FINRA',
  shortTitle: 'Reg SHO',
  period: { kind: 'trading_day', calendar: CALENDAR, field: 'trade_date', label: 'Trade date' },
  keys: [marketCodeKey],
  firstPeriod: (series) => firstTradeDate(series.key1 as MarketCode),
  stages: REGSHO_STAGES,
  // Its store, views, graph, policy, schedules (1100) and its checks on the core tables (1110), beside its code as
  // OTC's are. 1100's research view reads OTC's ATS share view (migration 600): Reg SHO's schema needs OTC's.
  migrationsDir: fileURLToPath(new URL('../migrations', import.meta.url)),
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
  openSource: openRegShoSource,
  prepareFile: async (request) => (await import('./prepare-file.ts')).prepareDailyFile(request),
  applyRetention: async (pool, options) => (await import('./retention.ts')).applyRetention(pool, options),
  symbolsMissing,
  // Its questions of the research API and its export, loaded when a process serves the API or exports (the dashboard,
  // `spine query`, `spine export`).
  research: async () => (await import('./research/research-module.ts')).REGSHO_RESEARCH,
  queryCommands: REGSHO_QUERY_COMMANDS,
};
