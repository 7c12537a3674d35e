import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { makeSpoolDir, releaseSpoolDir, spoolRoot, sweepOrphanSpools, sweepStaleSpools } from '../src/storage/spool.ts';

const base = mkdtempSync(join(tmpdir(), 'spool-test-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('spool sweeps', () => {
  it('at start-up removes the roots of dead processes and old legacy directories, and nothing live', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const dead = join(base, `spine-spool-${deadPid}`);
    const mine = spoolRoot(base);
    const parent = join(base, `spine-spool-${process.ppid}`);
    const oldLegacy = join(base, 'spine-raw-abc');
    const newLegacy = join(base, 'spine-rejects-def');
    const unrelated = join(base, 'something-else');
    for (const dir of [dead, mine, parent, oldLegacy, newLegacy, unrelated]) mkdirSync(dir);
    writeFileSync(join(dead, 'body'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(oldLegacy, twoHoursAgo, twoHoursAgo);

    expect((await sweepStaleSpools(base)).sort()).toEqual([dead, oldLegacy].sort());
    for (const kept of [mine, parent, newLegacy, unrelated]) expect(existsSync(kept)).toBe(true);
  });

  it('after a job removes only spools nobody holds', async () => {
    const held = await makeSpoolDir('raw');
    const released = await makeSpoolDir('rejects');
    await releaseSpoolDir(released);
    const leftBehind = join(spoolRoot(), 'raw-left-behind');
    mkdirSync(leftBehind);
    expect(await sweepOrphanSpools()).toEqual([leftBehind]);
    expect(existsSync(held)).toBe(true);
    expect(existsSync(released)).toBe(false);
    await releaseSpoolDir(held);
  });
});
