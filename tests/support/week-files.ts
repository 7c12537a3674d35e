import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FINRA_HEADER } from '@spine/otc';

/** Writes a FINRA-format week file from data lines into a fresh temp dir and returns its path. */
export function writeWeekFile(lines: string[], name = 'week.psv'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'spine-week-')), name);
  writeFileSync(path, `${FINRA_HEADER}\n${lines.join('\n')}\n`);
  return path;
}
