import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256File } from '../src/hashing.ts';

const dir = await mkdtemp(join(tmpdir(), 'spine-hashing-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sha256File', () => {
  // Around the one buffer it reads into (a megabyte): nothing of an earlier read may leak into a later one's hash.
  it.each([0, 1, 1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 12_345])('hashes a file of %i bytes as one pass over its bytes does', async (size) => {
    const bytes = randomBytes(size);
    const path = join(dir, `file-${size}`);
    await writeFile(path, bytes);
    expect(await sha256File(path)).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), sizeBytes: size });
  });

  it('fails for a file that is not there', async () => {
    await expect(sha256File(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
