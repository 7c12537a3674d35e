import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { FINRA_FILE_HEADER } from '@spine/otc/finra-query/row-format';

export const silentLogger = pino({ level: 'silent' });

/** A FINRA-format file body with `count` rows whose symbols are S000, S001, … so order is checkable. */
export function finraFile(count: number, tierDescription = 'OTC'): { text: string; lines: string[] } {
  const lines = Array.from(
    { length: count },
    (_, i) => `${tierDescription}|S${String(i).padStart(3, '0')}|Issue ${i}, Inc.|Venue ${i % 3}|MP${i % 3}|${1000 * (i + 1)}|${i + 1}|2025-12-15`,
  );
  return { text: `${FINRA_FILE_HEADER}\n${lines.join('\n')}\n`, lines };
}

/** A temp directory holding the given files (relative '/'-separated paths); remove() deletes it. */
export async function tempFiles(files: Record<string, string>): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'finra-source-'));
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(dir, ...relative.split('/'));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export async function readText(body: NodeJS.ReadableStream | AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** What a test's caller rejects a missing file with (a dataset passes its own not-found error). */
export class NotThereError extends Error {
  constructor(readonly where: string) {
    super(`not there: ${where}`);
  }
}
export const notThere = (where: string): Error => new NotThereError(where);
