import { endpoint, type Endpoint } from '@spine/platform/research/research-endpoint';
import { regshoSymbolSchema, symbolDailyAnswer, symbolDailyQuery, weekEndingSchema, weekResearchAnswer, weekResearchQuery } from './schemas.ts';
import { symbolDaily } from './symbol-daily.ts';
import { weekResearch } from './week-research.ts';

/** Reg SHO's questions of the research API (/api/v1), served beside OTC's through the dataset's definition. */
export const REGSHO_ENDPOINTS: readonly Endpoint[] = [
  endpoint({
    operationId: 'regshoSymbolDaily', path: '/datasets/regsho/symbols/{symbol}/daily',
    summary: "A symbol's daily off-exchange short-sale volume (summed over FINRA's facilities), short ratio, short-exempt share and " +
      '20-trading-day mean short ratio; as FINRA had published it on a past date with as_of_published',
    pathParams: { symbol: regshoSymbolSchema }, query: symbolDailyQuery, answer: symbolDailyAnswer, answerName: 'RegshoSymbolDailyAnswer',
    run: (db, path, query) => symbolDaily(db, path.symbol, query),
  }),
  endpoint({
    operationId: 'regshoWeekResearch', path: '/datasets/regsho/weeks/{week_ending}/research',
    summary: "A week's short-sale volume per symbol beside OTC's ATS and non-ATS volume and ATS share (research_symbol_week_latest)",
    pathParams: { week_ending: weekEndingSchema }, query: weekResearchQuery, answer: weekResearchAnswer, answerName: 'RegshoWeekResearchAnswer',
    run: (db, path, query) => weekResearch(db, path.week_ending, query),
  }),
];
