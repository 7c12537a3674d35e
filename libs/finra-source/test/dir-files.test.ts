import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileTooLargeError } from '@spine/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectoryFiles } from '../src/dir-files.ts';
import { finraFile, NotThereError, notThere, readText, tempFiles } from './support.ts';

describe('DirectoryFiles', () => {
  const file = finraFile(3, 'NMS Tier 1');
  let fixtures: Awaited<ReturnType<typeof tempFiles>>;

  beforeAll(async () => {
    fixtures = await tempFiles({ 'NMS_TIER_1/2025-12-12.psv': file.text });
  });
  afterAll(() => fixtures.remove());

  it('opens <dir>/<path> and passes its bytes through', async () => {
    const source = new DirectoryFiles(fixtures.dir);
    const { body, sourceUri } = await source.open('NMS_TIER_1/2025-12-12.psv', notThere);
    expect(await readText(body)).toBe(file.text);
    expect(sourceUri).toBe(pathToFileURL(path.join(fixtures.dir, 'NMS_TIER_1', '2025-12-12.psv')).href);
    expect(source.describe()).toBe(`dir:${fixtures.dir}`);
  });

  it('rejects a missing file with the caller\'s not-found error naming the path', async () => {
    const source = new DirectoryFiles(fixtures.dir);
    const expected = path.join(fixtures.dir, 'OTC', '2025-12-12.psv');
    const error = await source.open('OTC/2025-12-12.psv', notThere).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotThereError);
    expect(error).toMatchObject({ where: expected });
  });

  it('refuses a file over the size cap before reading it, and one that grows past it while read', async () => {
    const week = 'NMS_TIER_1/2025-12-12.psv';
    const size = Buffer.byteLength(file.text);
    const tooSmall = new DirectoryFiles(fixtures.dir, { maxFileBytes: size - 1 });
    await expect(tooSmall.open(week, notThere)).rejects.toThrow(`${pathToFileURL(path.join(fixtures.dir, 'NMS_TIER_1', '2025-12-12.psv')).href} is ${size} bytes, more than the ${size - 1}-byte cap`);

    // A FIFO stats as 0 bytes and yields only what is written to it, so the bytes past the cap arrive after the size
    // check without racing the stream's read-ahead, as a file appended to while open would.
    const growing = await tempFiles({});
    try {
      const fifo = path.join(growing.dir, 'NMS_TIER_1', '2025-12-12.psv');
      await mkdir(path.dirname(fifo));
      execFileSync('mkfifo', [fifo]);
      const opened = new DirectoryFiles(growing.dir, { maxFileBytes: size }).open(week, notThere);
      await writeFile(fifo, file.text + 'x'.repeat(100));
      const { body } = await opened;
      await expect(readText(body)).rejects.toThrow(FileTooLargeError);
    } finally {
      await growing.remove();
    }
  });
});
