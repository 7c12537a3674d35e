import { describe, expect, it } from 'vitest';
import { VenueTotals } from '../src/venue-totals.ts';

const plain = (totals: VenueTotals) => totals.rows().map(({ mpid, marketParticipantName, volume, trades, lines }) => ({ mpid, marketParticipantName, volume, trades, lines }));

describe('VenueTotals', () => {
  it('totals each MPID under each of its names, in the order the pairs first came', () => {
    const totals = new VenueTotals();
    totals.add('NITE', 'Nite', 100, 2);
    totals.add('VIRT', 'Virtu', 0, 0);
    totals.add('NITE', 'NITE LLC', 5, 1);
    totals.add('NITE', 'Nite', 7, 3);
    totals.add('NITE', 'NITE LLC', Number.MAX_SAFE_INTEGER, 1);
    expect(plain(totals)).toEqual([
      { mpid: 'NITE', marketParticipantName: 'Nite', volume: 107, trades: 5, lines: 2 },
      { mpid: 'VIRT', marketParticipantName: 'Virtu', volume: 0, trades: 0, lines: 1 },
      { mpid: 'NITE', marketParticipantName: 'NITE LLC', volume: 2n ** 53n + 4n, trades: 2, lines: 2 },
    ]);
    expect(totals.gaveUp).toBe(false);
  });

  it('gives up past its bound of pairs: no rows, and later lines are not counted', () => {
    const totals = new VenueTotals(3);
    for (const mpid of ['A', 'B', 'C']) totals.add(mpid, mpid, 1, 1);
    totals.add('A', 'A', 1, 1);
    expect(totals.rows()).toHaveLength(3);
    totals.add('A', 'another name', 1, 1);
    expect(totals.gaveUp).toBe(true);
    expect(totals.rows()).toEqual([]);
    totals.add('D', 'D', 1, 1);
    expect(totals.rows()).toEqual([]);
  });
});
