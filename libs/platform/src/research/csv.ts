/** One CSV field (RFC 4180): quoted when it holds a quote, a comma or a line break; null and undefined are empty. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line of fields already made, with its CRLF. */
export const csvLine = (fields: readonly string[]): string => `${fields.join(',')}\r\n`;

/** RFC 4180 CSV of rows (the columns of the first row, in order): what `--csv` prints and spreadsheets and DuckDB read. */
export function toCsv(rows: readonly Record<string, unknown>[], columns: readonly string[] = Object.keys(rows[0] ?? {})): string {
  return [csvLine(columns), ...rows.map((row) => csvLine(columns.map((c) => csvField(row[c]))))].join('');
}
