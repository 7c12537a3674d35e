import Table from 'cli-table3';
import stringWidth from 'string-width';

/**
 * cli-table3 lays a table out in time quadratic in its rows (it checks every cell against every row above it for
 * spans): 1,248 rows took a second, thousands take minutes. Longer tables are rendered in chunks of this many rows,
 * each with the whole table's column widths, and joined without the borders between them.
 */
const CHUNK_ROWS = 100;

/** A plain terminal table (cli-table3) of rows under the given headings. */
export function renderTable(head: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))));
  if (cells.length <= CHUNK_ROWS) return render(head, cells);
  // The widths cli-table3 gives a whole table: the widest line of any cell in the column, and a space either side.
  const colWidths = head.map((h, i) => Math.max(width(h), ...cells.map((row) => width(row[i] ?? ''))) + 2);
  const chunks: string[][] = [];
  for (let start = 0; start < cells.length; start += CHUNK_ROWS) {
    chunks.push(render(start === 0 ? head : [], cells.slice(start, start + CHUNK_ROWS), colWidths).split('\n'));
  }
  // Each chunk is a table of its own: the first keeps its top border, the last its bottom one.
  return chunks.map((lines, i) => lines.slice(i === 0 ? 0 : 1, i === chunks.length - 1 ? lines.length : -1).join('\n')).join('\n');
}

function render(head: string[], rows: string[][], colWidths?: number[]): string {
  const table = new Table({ head, style: { head: [], border: [], compact: true }, ...(colWidths ? { colWidths } : {}) });
  for (const row of rows) table.push(row);
  return table.toString();
}

/** A cell's width as cli-table3 measures it (string-width of its widest line); printable ASCII is one column a character. */
function width(text: string): number {
  return Math.max(...text.split('\n').map((line) => (PRINTABLE_ASCII.test(line) ? line.length : stringWidth(line))));
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
