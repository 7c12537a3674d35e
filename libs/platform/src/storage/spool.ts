import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary spool directories (raw bodies being hashed, rejects waiting for their COPY). Each process spools under
 * its own root, `spine-spool-<pid>`, so a sweep can tell what a dead process left behind from what a live one
 * (another worker on the host) is still writing.
 */
const ROOT_PREFIX = 'spine-spool-';
/** Directories of releases before per-process roots; swept once they are surely abandoned. */
const LEGACY_PREFIXES = ['spine-raw-', 'spine-rejects-'];
const LEGACY_MIN_AGE_MS = 3600_000;

const live = new Set<string>();

export function spoolRoot(base = tmpdir()): string {
  return join(base, `${ROOT_PREFIX}${process.pid}`);
}

/** A new directory for one spool; release it with releaseSpoolDir. */
export async function makeSpoolDir(kind: string): Promise<string> {
  const dir = join(spoolRoot(), `${kind}-${randomUUID()}`);
  // Registered before it exists, so a sweep running meanwhile never takes it for an orphan.
  live.add(dir);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    live.delete(dir);
    throw error;
  }
  return dir;
}

export async function releaseSpoolDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true });
  } finally {
    live.delete(dir);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Start-up sweep: removes the spool roots of processes that no longer run, and old directories of earlier
 * releases. Returns what it removed.
 */
export async function sweepStaleSpools(base = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  const now = Date.now();
  for (const name of await readdir(base)) {
    const path = join(base, name);
    if (name.startsWith(ROOT_PREFIX)) {
      const pid = Number(name.slice(ROOT_PREFIX.length));
      if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    } else if (LEGACY_PREFIXES.some((p) => name.startsWith(p))) {
      const info = await stat(path).catch(() => undefined);
      if (!info || now - info.mtimeMs < LEGACY_MIN_AGE_MS) continue;
    } else {
      continue;
    }
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

/**
 * After-job sweep: removes whatever in this process's root no spool holds any more (a job that ended without
 * releasing its spool, say on a lost connection mid-stream). Spools of jobs still running are left alone.
 */
export async function sweepOrphanSpools(): Promise<string[]> {
  const root = spoolRoot();
  const names = await readdir(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const orphans = names.map((name) => join(root, name)).filter((path) => !live.has(path));
  for (const path of orphans) await rm(path, { recursive: true, force: true });
  return orphans;
}
