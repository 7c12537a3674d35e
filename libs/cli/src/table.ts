import stringWidth from 'string-width';

// Drawn here rather than by cli-table3, whose layout the tests hold this to: cli-table3 checks every cell against every
// row above it for spans and measures each cell several times with a regular expression it builds on each call, 0.5 s
// of CPU for `spine status --weeks 208` (1,248 rows) in chunks of 100 rows, and minutes for thousands of rows whole.
const BOX = {
  top: ['┌', '┬', '┐'],
  middle: ['├', '┼', '┤'],
  bottom: ['└', '┴', '┘'],
} as const;

type Cell = string | number | null | undefined;

/**
 * A plain terminal table of rows under the given headings: a line under the headings, none between rows, each column
 * as wide as its widest line plus a space either side; a cell with line breaks takes as many lines. A row with more
 * cells than there are headings widens the table (the extra columns' headings are empty): no cell is left out.
 */
export function renderTable(head: string[], rows: Cell[][]): string {
  // Maxima over the rows by reduce and loops: spread into Math.max, a few hundred thousand rows overflow the stack.
  const columns = Array.from({ length: rows.reduce((n, row) => Math.max(n, row.length), head.length) }, (_, i) => i);
  const table = [head, ...rows].map((row) => columns.map((i) => cellLines(row[i])));
  const widths = columns.map(() => 0);
  for (const row of table) {
    row.forEach((lines, i) => {
      for (const line of lines) widths[i] = Math.max(widths[i]!, line.width);
    });
  }
  const rule = ([left, join, right]: readonly [string, string, string]) => `${left}${widths.map((w) => '─'.repeat(w + 2)).join(join)}${right}`;
  const out = [rule(BOX.top)];
  table.forEach((row, r) => {
    const height = Math.max(...row.map((lines) => lines.length));
    for (let l = 0; l < height; l++) {
      out.push(`│${row.map((lines, i) => {
        const line = lines[l] ?? { text: '', width: 0 };
        return ` ${line.text}${' '.repeat(widths[i]! - line.width)} `;
      }).join('│')}│`);
    }
    if (r === 0 && rows.length > 0) out.push(rule(BOX.middle));
  });
  out.push(rule(BOX.bottom));
  return out.join('\n');
}

function cellLines(cell: Cell): { text: string; width: number }[] {
  const text = cell === null || cell === undefined ? '' : String(cell);
  return text.split('\n').map((line) => ({ text: line, width: PRINTABLE_ASCII.test(line) ? line.length : stringWidth(line) }));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
