import { OverlongLine } from '@spine/platform/streams/line-batches';
import { MAX_LINE_CHARS } from './record-validator.ts';

/**
 * A rejected line as core_rejects keeps it: control characters written as `\xNN` / `\uNNNN` escapes (PostgreSQL text
 * cannot hold NUL, and a terminal showing the reject should not interpret the others), and a line over the length
 * cap cut to it with a note of how long it was, so one hostile line cannot bloat the rejects table.
 */
export function rawLineExcerpt(line: string | OverlongLine): string {
  const text = line instanceof OverlongLine ? line.head : line;
  const cut = text.length > MAX_LINE_CHARS ? text.slice(0, MAX_LINE_CHARS) : text;
  const visible = cut.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return cut === line ? visible : `${visible}... (${line.length} characters, cut at ${MAX_LINE_CHARS})`;
}
