import { createReadStream } from 'node:fs';
import { access, constants, open, stat } from 'node:fs/promises';
import type { RawSource } from '../dataset/dataset-definition.ts';
import { InputError } from '../errors.ts';

/** Reads the first line of a file (at most `maxBytes` of it) without reading the rest. */
async function readFirstLine(path: string, maxBytes = 64 * 1024): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes);
    const { bytesRead } = await handle.read(buffer, 0, maxBytes, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    const end = text.indexOf('\n');
    return end === -1 ? text : text.slice(0, end);
  } finally {
    await handle.close();
  }
}

/**
 * A local file as the source of the stage after fetch (`spine run-week`, a dataset's prepareFile): readable, a regular
 * file, its first line read for the dataset to recognise its layout. A problem is an InputError (exit code 2).
 */
export async function localFileSource(file: string): Promise<RawSource> {
  try {
    await access(file, constants.R_OK);
  } catch {
    throw new InputError(`cannot read file ${file}: it does not exist or is not readable`);
  }
  if (!(await stat(file)).isFile()) throw new InputError(`${file} is not a regular file`);
  return { uri: `file://${file}`, firstLine: await readFirstLine(file), open: () => createReadStream(file) };
}
