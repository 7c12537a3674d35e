import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ServiceName } from './errors.ts';
import { pidMatches } from './proc.ts';

/** One server this command started: how to recognise it and how to stop it. */
export interface StartedEntry {
  service: ServiceName;
  /** Human description, e.g. "redis-server on 127.0.0.1:6379". */
  description: string;
  /** The URL/endpoint it serves (no secrets: local servers have none). */
  url: string;
  /** The server's main process. */
  pid: number;
  /** A substring of that process's command line, checked before signalling so a recycled pid is never hit. */
  match: string;
  /** Graceful stop command (e.g. pg_ctlcluster ... stop); without it the pid gets SIGTERM. */
  stopCommand?: string[];
  startedAt: string;
}

export interface StackState {
  version: 1;
  started: StartedEntry[];
}

/** .stack/state.json: exactly what `npm run stack` started, so `--down` stops those and nothing else. */
export class StateFile {
  readonly file: string;
  /** Serialises read-modify-write cycles within this process. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly dir: string) {
    this.file = path.join(dir, 'state.json');
  }

  async read(): Promise<StackState> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, started: [] };
      throw new Error(`could not read ${this.file}`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`${this.file} is not valid JSON; delete it after stopping any servers it lists`, { cause: err });
    }
    if (!isState(parsed)) throw new Error(`${this.file} does not have the expected shape ({ version: 1, started: [...] })`);
    return parsed;
  }

  /** Entries whose process is still the one recorded. */
  async alive(): Promise<StartedEntry[]> {
    return (await this.read()).started.filter((e) => pidMatches(e.pid, e.match));
  }

  add(entry: StartedEntry): Promise<void> {
    return this.update((state) => ({ ...state, started: [...state.started.filter((e) => e.pid !== entry.pid), entry] }));
  }

  remove(pid: number): Promise<void> {
    return this.update((state) => ({ ...state, started: state.started.filter((e) => e.pid !== pid) }));
  }

  /** Drops entries whose process is gone (e.g. after a reboot); returns what was dropped. */
  async prune(): Promise<StartedEntry[]> {
    let dropped: StartedEntry[] = [];
    await this.update((state) => {
      dropped = state.started.filter((e) => !pidMatches(e.pid, e.match));
      return { ...state, started: state.started.filter((e) => !dropped.includes(e)) };
    });
    return dropped;
  }

  private update(change: (state: StackState) => StackState): Promise<void> {
    const next = this.queue.then(async () => {
      const state = change(await this.read());
      if (state.started.length === 0) {
        await rm(this.file, { force: true });
        return;
      }
      await mkdir(this.dir, { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
      await rename(tmp, this.file);
    });
    this.queue = next.catch(() => {});
    return next.catch((err: unknown) => {
      throw new Error(`could not update ${this.file}`, { cause: err });
    });
  }
}

function isState(value: unknown): value is StackState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { version?: unknown; started?: unknown };
  return (
    v.version === 1 &&
    Array.isArray(v.started) &&
    v.started.every(
      (e: unknown) =>
        typeof e === 'object' &&
        e !== null &&
        typeof (e as StartedEntry).pid === 'number' &&
        typeof (e as StartedEntry).match === 'string' &&
        typeof (e as StartedEntry).service === 'string',
    )
  );
}
