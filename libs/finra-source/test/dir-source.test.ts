import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileTooLargeError } from '@spine/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirectorySource } from '../src/dir-source.ts';
import { SourceNotFoundError } from '../src/source.ts';
import { finraFile, readText, tempFiles } from './support.ts';

describe('DirectorySource', () => {
  const file = finraFile(3, 'NMS Tier 1');
  let fixtures: Awaited<ReturnType<typeof tempFiles>>;

  beforeAll(async () => {
    fixtures = await tempFiles({ 'NMS_TIER_1/2025-12-12.psv': file.text });
  });
  afterAll(() => fixtures.remove());

  it('opens <dir>/<TIER>/<week_ending>.psv and passes its bytes through', async () => {
    const source = new DirectorySource(fixtures.dir);
    const { body, sourceUri } = await source.openWeek({ tier: 'NMS_TIER_1', weekEnding: '2025-12-12', venueType: 'ATS' });
    expect(await readText(body)).toBe(file.text);
    expect(sourceUri).toBe(pathToFileURL(path.join(fixtures.dir, 'NMS_TIER_1', '2025-12-12.psv')).href);
    expect(source.describe()).toBe(`dir:${fixtures.dir}`);
  });

  it('rejects a missing week with SourceNotFoundError naming the path', async () => {
    const source = new DirectorySource(fixtures.dir);
    const expected = path.join(fixtures.dir, 'OTC', '2025-12-12.psv');
    const error = await source.openWeek({ tier: 'OTC', weekEnding: '2025-12-12', venueType: 'ATS' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceNotFoundError);
    expect(error).toMatchObject({ tier: 'OTC', weekEnding: '2025-12-12', where: expected });
    expect((error as Error).message).toContain(expected);
  });

  it('rejects a week ending that is not a Friday', async () => {
    const source = new DirectorySource(fixtures.dir);
    await expect(source.openWeek({ tier: 'OTC', weekEnding: '2025-12-13', venueType: 'ATS' })).rejects.toThrow('2025-12-13 is a Saturday; week_ending must be a Friday');
    await expect(source.openWeek({ tier: 'OTC', weekEnding: '../../etc/passwd', venueType: 'ATS' })).rejects.toThrow('YYYY-MM-DD');
  });

  it('refuses a file over the size cap before reading it, and one that grows past it while read', async () => {
    const week = { tier: 'NMS_TIER_1' as const, weekEnding: '2025-12-12', venueType: 'ATS' as const };
    const size = Buffer.byteLength(file.text);
    const tooSmall = new DirectorySource(fixtures.dir, { maxFileBytes: size - 1 });
    await expect(tooSmall.openWeek(week)).rejects.toThrow(`${pathToFileURL(path.join(fixtures.dir, 'NMS_TIER_1', '2025-12-12.psv')).href} is ${size} bytes, more than the ${size - 1}-byte cap`);

    // A FIFO stats as 0 bytes and yields only what is written to it, so the bytes past the cap arrive after the size
    // check without racing the stream's read-ahead, as a file appended to while open would.
    const growing = await tempFiles({});
    try {
      const fifo = path.join(growing.dir, 'NMS_TIER_1', '2025-12-12.psv');
      await mkdir(path.dirname(fifo));
      execFileSync('mkfifo', [fifo]);
      const opened = new DirectorySource(growing.dir, { maxFileBytes: size }).openWeek(week);
      await writeFile(fifo, file.text + 'x'.repeat(100));
      const { body } = await opened;
      await expect(readText(body)).rejects.toThrow(FileTooLargeError);
    } finally {
      await growing.remove();
    }
  });
});
