import { describe, expect, it } from 'vitest';
import type { Count } from '../src/counts.ts';
import { MAX_NAMES_A_VENUE, VenueTotals } from '../src/venue-totals.ts';

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

  it('gives up at a name too many for one MPID', () => {
    const totals = new VenueTotals();
    for (let i = 0; i < MAX_NAMES_A_VENUE; i++) totals.add('NITE', `Nite ${i}`, 1, 1);
    totals.add('NITE', 'Nite 3', 1, 1);
    expect(totals.rows()).toHaveLength(MAX_NAMES_A_VENUE);
    totals.add('NITE', 'one name more', 1, 1);
    expect(totals.gaveUp).toBe(true);
    expect(totals.rows()).toEqual([]);
  });

  it('gives up when a sum would not fit the bigint columns, at the volume or the trades', () => {
    const half = 2n ** 62n;
    const sums: [Count, Count][][] = [[[half, 1], [half - 1n, 1]], [[1, half], [1, half - 1n]]];
    for (const [first, second] of sums) {
      const totals = new VenueTotals();
      totals.add('NITE', 'Nite', ...first!);
      totals.add('NITE', 'Nite', ...second!);
      // 2^63 - 1, the largest bigint, fits.
      expect(totals.rows()[0]).toMatchObject({ lines: 2 });
      totals.add('NITE', 'Nite', 1, 1);
      expect(totals.gaveUp, String(first)).toBe(true);
    }
  });
});
