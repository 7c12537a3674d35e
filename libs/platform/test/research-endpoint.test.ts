import { describe, expect, it } from 'vitest';
import { cursorFor, pageOf } from '../src/research/page-token.ts';
import { mergeProvenance, type ResearchProvenance } from '../src/research/research-endpoint.ts';

const provenance = (captures: ResearchProvenance['captures'], calcs: [string, number][] = []): ResearchProvenance => ({
  as_of: { published: '2025-01-14', captured: null }, captures, calculations: calcs.map(([calc_name, calc_version]) => ({ calc_name, calc_version })),
  attribution: 'Source: the publisher',
});

describe('mergeProvenance: the provenance of two pages of one answer', () => {
  it('keeps each capture once, ordered by the fields after capture_id (revisions as numbers), and each calculation once', () => {
    const a = provenance([
      { capture_id: 'q-08-r10', trade_date: '2025-01-08', market_code: 'Q', revision: 10 },
      { capture_id: 'n-08', trade_date: '2025-01-08', market_code: 'N', revision: 1 },
    ], [['regsho_daily_volume', 1]]);
    const b = provenance([
      { capture_id: 'q-08-r9', trade_date: '2025-01-08', market_code: 'Q', revision: 9 },
      { capture_id: 'b-06', trade_date: '2025-01-06', market_code: 'B', revision: 1 },
      { capture_id: 'n-08', trade_date: '2025-01-08', market_code: 'N', revision: 1 },
    ], [['regsho_daily_volume', 1], ['a_calc', 2]]);
    const merged = mergeProvenance(a, b);
    expect(merged.captures.map((c) => c.capture_id)).toEqual(['b-06', 'n-08', 'q-08-r9', 'q-08-r10']);
    expect(merged.calculations).toEqual([{ calc_name: 'a_calc', calc_version: 2 }, { calc_name: 'regsho_daily_volume', calc_version: 1 }]);
    expect({ as_of: merged.as_of, attribution: merged.attribution }).toEqual({ as_of: a.as_of, attribution: a.attribution });
  });
});

describe('page tokens', () => {
  it('continue the question they were issued for, and are refused with other parameters or when not issued here', () => {
    const rows = ['AAA', 'BBB', 'CCC'].map((symbol) => ({ symbol }));
    const first = pageOf(rows, 2, cursorFor('week', { week_ending: '2025-01-10' }, { page_size: 2 }), (r) => [r.symbol]);
    expect(first.rows).toEqual(rows.slice(0, 2));
    const token = first.next_page_token!;
    expect(cursorFor('week', { week_ending: '2025-01-10' }, { page_size: 50, page_token: token }).after).toEqual(['BBB']);
    expect(() => cursorFor('week', { week_ending: '2025-01-03' }, { page_token: token })).toThrow('page_token: the token belongs to a question with other parameters');
    expect(() => cursorFor('week', { week_ending: '2025-01-10' }, { page_token: 'garbage' })).toThrow('page_token: not a token this API issued');
    expect(pageOf(rows, 3, cursorFor('week', {}, {}), (r) => [r.symbol]).next_page_token).toBeNull();
  });
});
