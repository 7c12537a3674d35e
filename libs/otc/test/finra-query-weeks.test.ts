import type { PartitionsAnswer, QueryAnswer, QueryApi, QueryRequest } from '@spine/platform/sources/query-api';
import { describe, expect, it } from 'vitest';
import { openWeekByQuery, publishedWeeksByPartitions, type WeekFound } from '../src/finra-query/query-api-weeks.ts';
import { FINRA_FILE_HEADER } from '../src/finra-query/row-format.ts';

/**
 * OTC's request mapping against a Query API held in memory: what it asks (dataset, filters, the name in messages)
 * and the week file it writes, with no HTTP. The protocol itself is the client's (libs/finra-source, tested there).
 */
type Row = Record<string, string | number | null>;

class FakeQueryApi implements QueryApi {
  readonly asked: QueryRequest<unknown>[] = [];
  readonly partitionsAsked: string[] = [];
  constructor(private readonly answers: Record<string, Row[][]>, private readonly listed: Record<string, string[][]> = {}) {}

  describe(): string {
    return 'a fake query API';
  }

  async open<T>(request: QueryRequest<T>): Promise<QueryAnswer<T>> {
    this.asked.push(request as QueryRequest<unknown>);
    const pages = (this.answers[request.name] ?? []).map((page) => page.map((row) => request.record.parse(row)));
    const label = `POST ${request.name} ${Object.entries(request.labelFields ?? request.filters ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')}`;
    return {
      empty: pages.length === 0, url: request.name, uri: `${request.name}?${new URLSearchParams({ ...request.uriParams })}`, label,
      pages: (async function* () { yield* pages; })(),
      invalid: (problem) => new Error(`Invalid response from ${label}: ${problem}`),
    };
  }

  async partitions<R>(dataset: { name: string }, read: (answer: PartitionsAnswer) => R): Promise<R> {
    this.partitionsAsked.push(dataset.name);
    return read({ url: dataset.name, partitionFields: ['weekStartDate', 'tierIdentifier'], partitions: this.listed[dataset.name] ?? [], invalid: (p) => new Error(p) });
  }
}

const row = (symbol: string, summaryTypeCode = 'ATS_W_SMBL_FIRM', weekStartDate = '2025-11-24'): Row => ({
  tierDescription: 'OTC', issueSymbolIdentifier: symbol, issueName: `${symbol} Inc.`, marketParticipantName: 'Venue', MPID: 'MPA',
  totalWeeklyShareQuantity: 100, totalWeeklyTradeCount: 2, lastUpdateDate: '2025-12-15', summaryTypeCode, weekStartDate, tierIdentifier: 'OTCE',
});

async function text(week: WeekFound): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of week.body) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

const options = { today: '2026-01-05', maxFileBytes: 1 << 20 };

describe("OTC's weeks over a Query API", () => {
  it('asks weeklySummary for a recent week by week, tier and grain, and writes FINRA\'s download file', async () => {
    const api = new FakeQueryApi({ weeklySummary: [[row('AAA')], [row('BBB')]] });
    const week = await openWeekByQuery(api, { tier: 'otc', venueType: 'ats', weekEnding: '2025-11-28' }, options);
    expect(week.found).toBe(true);
    expect(await text(week as WeekFound)).toBe(`${FINRA_FILE_HEADER}\nOTC|AAA|AAA Inc.|Venue|MPA|100|2|2025-12-15\nOTC|BBB|BBB Inc.|Venue|MPA|100|2|2025-12-15\n`);
    expect(api.asked.map((r) => [r.group, r.name, r.filters])).toEqual([
      ['otcMarket', 'weeklySummary', { weekStartDate: '2025-11-24', tierIdentifier: 'OTCE', summaryTypeCode: 'ATS_W_SMBL_FIRM' }],
    ]);
  });

  it('asks the historic dataset by week and tier only, keeps the grain asked for, and names the grain in messages', async () => {
    const api = new FakeQueryApi({ weeklySummaryHistoric: [[row('AAA', 'ATS_W_SMBL', '2024-06-03'), row('AAA', 'ATS_W_SMBL_FIRM', '2024-06-03')]] });
    const week = await openWeekByQuery(api, { tier: 'OTC', venueType: 'ATS', weekEnding: '2024-06-07' }, options);
    expect(await text(week as WeekFound)).toBe(`${FINRA_FILE_HEADER}\nOTC|AAA|AAA Inc.|Venue|MPA|100|2|2025-12-15\n`);
    const [asked] = api.asked;
    expect([asked?.name, asked?.filters, asked?.labelFields, asked?.uriParams]).toEqual([
      'weeklySummaryHistoric', { weekStartDate: '2024-06-03', tierIdentifier: 'OTCE' },
      { weekStartDate: '2024-06-03', tierIdentifier: 'OTCE', summaryTypeCode: 'ATS_W_SMBL_FIRM' }, { keep: 'summaryTypeCode=ATS_W_SMBL_FIRM' },
    ]);
  });

  it('says what it asked, the dataset the age points to first, when no dataset has the week', async () => {
    const api = new FakeQueryApi({});
    const week = await openWeekByQuery(api, { tier: 'NMS_TIER_1', venueType: 'NON_ATS', weekEnding: '2024-12-27' }, options);
    expect(week).toEqual({
      found: false, tier: 'NMS_TIER_1', venueType: 'NON_ATS',
      asked: [
        'POST weeklySummaryHistoric weekStartDate=2024-12-23 tierIdentifier=T1 summaryTypeCode=OTC_W_SMBL_FIRM',
        'POST weeklySummary weekStartDate=2024-12-23 tierIdentifier=T1 summaryTypeCode=OTC_W_SMBL_FIRM',
      ],
    });
  });

  it('lists the weeks of both datasets\' partitions when the oldest week is past 12 months', async () => {
    const api = new FakeQueryApi({}, { weeklySummary: [['2025-11-24', 'OTCE']], weeklySummaryHistoric: [['2024-06-03', 'T2']] });
    const weeks = await publishedWeeksByPartitions(api, '2024-06-07', '2026-01-05');
    expect(api.partitionsAsked).toEqual(['weeklySummary', 'weeklySummaryHistoric']);
    expect([weeks.has('OTC', '2025-11-28'), weeks.has('NMS_TIER_2', '2024-06-07'), weeks.has('OTC', '2024-06-07')]).toEqual([true, true, false]);
    expect(weeks.where).toBe('weeklySummary and weeklySummaryHistoric');
  });
});
