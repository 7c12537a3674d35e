import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { InputError } from '../errors.ts';
import type { ByteSink } from './export-files.ts';

/** An S3 destination of `spine export --out`: s3://bucket or s3://bucket/prefix (bucket and prefix captured). */
export const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

/** A file of an export being written: bytes in, then its size and SHA-256 once closed. */
export interface TargetFile extends ByteSink {
  /** Resolves when the destination has taken what was written so far (backpressure between batches). */
  drained(): Promise<void>;
  close(): Promise<{ bytes: number; sha256: string }>;
  /** Gives up the file (the export failed): an S3 upload is aborted, a local file is left as it is. */
  abort(): Promise<void>;
}

/** Where an export's files go: a local directory or an S3 prefix, both of which must hold nothing yet. */
export interface ExportTarget {
  /** Refuses (InputError) a destination that holds files already: files of two exports are never mixed. */
  checkEmpty(): Promise<void>;
  /** `path` is relative, `/`-separated. */
  open(path: string): TargetFile;
  writeText(path: string, text: string): Promise<void>;
}

/**
 * A file written to the stream `out`, counted and hashed on the way; `done` settles when the destination has it all
 * (or failed), `abort` gives it up.
 */
export function meteredStream(out: Writable, done: Promise<unknown>, abort: () => Promise<void>): TargetFile {
  const hash = createHash('sha256');
  let bytes = 0;
  let failure: unknown;
  done.catch((error: unknown) => (failure ??= error));
  return {
    write(chunk) {
      if (failure) throw failure;
      bytes += chunk.byteLength;
      hash.update(chunk);
      out.write(chunk);
    },
    async drained() {
      if (failure) throw failure;
      if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), done]);
    },
    async close() {
      out.end();
      await done;
      return { bytes, sha256: hash.digest('hex') };
    },
    abort,
  };
}

/** A local directory, created when missing; it must be empty. */
export function directoryTarget(dir: string): ExportTarget {
  return {
    async checkEmpty() {
      if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) throw new InputError(`--out: ${dir} exists and is not an empty directory`);
      mkdirSync(dir, { recursive: true });
    },
    open(path) {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      const out = createWriteStream(file);
      return meteredStream(out, finished(out), async () => void out.destroy());
    },
    async writeText(path, text) {
      const file = this.open(path);
      file.write(Buffer.from(text));
      await file.close();
    },
  };
}

/** Writes an export's manifest.json (`manifest` as indented JSON) and README.md (`readme`), last, once its files are whole. */
export async function writeManifest(target: ExportTarget, manifest: unknown, readme: string): Promise<void> {
  await target.writeText('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  await target.writeText('README.md', readme);
}
