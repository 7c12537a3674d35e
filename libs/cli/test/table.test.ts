import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/table.ts';

/** The table cli-table3 renders from all the rows at once. */
function whole(head: string[], rows: (string | number | null)[][]): string {
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row.map((cell) => (cell === null ? '' : String(cell))));
  return table.toString();
}

describe('renderTable', () => {
  it('renders a long table in chunks exactly as cli-table3 renders it whole', () => {
    // Wide, combining, emoji and multi-line cells: widths as cli-table3 measures them.
    const words = ['a', 'Société Générale', '漢字テキスト', 'two\nlines, the second longer', '', '✓', 'e\u0301', '12345678901234567890', '😀 ok'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [0, 1, 99, 100, 101, 250, 1248]) {
      const head = ['week_ending', 'tier', 'n'];
      const rows = Array.from({ length: n }, () => [words[Math.floor(next() * words.length)]!, next() > 0.5 ? null : 'OTC', Math.floor(next() * 1e6)]);
      expect(renderTable(head, rows), `${n} rows`).toBe(whole(head, rows));
    }
  });
});
