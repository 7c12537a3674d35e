import Table from 'cli-table3';
import { describe, expect, it } from 'vitest';
import { renderTable } from '../src/table.ts';

/** The table cli-table3 renders from all the rows at once: the layout renderTable keeps. */
function cliTable3(head: string[], rows: (string | number | null)[][]): string {
  const table = new Table({ head, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row.map((cell) => (cell === null ? '' : String(cell))));
  return table.toString();
}

describe('renderTable', () => {
  it('draws any table exactly as cli-table3 draws it whole', () => {
    // Wide, combining, emoji and multi-line cells: widths as cli-table3 measures them.
    const words = ['a', 'Société Générale', '漢字テキスト', 'two\nlines, the second longer', '', '✓', 'e\u0301', '12345678901234567890', '😀 ok',
      'three\n\nlines', 'tab\tand end ', 'x'.repeat(60)];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const n of [0, 1, 2, 99, 100, 101, 250]) {
      for (const head of [['week_ending', 'tier', 'n'], ['one'], ['a\nb', '漢字', 'longer heading than any cell', 'c']]) {
        const rows = Array.from({ length: n }, () => head.map((_, i) => (i === 1 && next() > 0.5 ? null : i === 2 ? Math.floor(next() * 1e6)
          : words[Math.floor(next() * words.length)]!)));
        expect(renderTable(head, rows), `${n} rows under ${head.join(', ')}`).toBe(cliTable3(head, rows));
      }
    }
  });

  it('draws the cells of a row longer than the headings, under empty headings, as cli-table3 does', () => {
    const rows = [['1', '2', 'three'], ['4', '5', '6']];
    expect(renderTable(['a', 'b'], rows)).toBe(cliTable3(['a', 'b'], rows));
    expect(renderTable(['a', 'b'], rows)).toContain('│ three │');
  });

  it('draws a table of more rows than a call can take arguments (300,000)', () => {
    const rows = Array.from({ length: 300_000 }, (_, i) => [`S${i}`, i]);
    const lines = renderTable(['symbol', 'n'], rows).split('\n');
    expect(lines).toHaveLength(300_004);
    expect(lines.at(-2)).toBe('│ S299999 │ 299999 │');
  });
});
