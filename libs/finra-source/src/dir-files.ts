import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceFiles, SourceObject } from '@spine/platform';
import { capBytes, DEFAULT_MAX_FILE_BYTES, refuseOversize } from '@spine/platform/streams/byte-cap';

/**
 * Files in a local directory, by the '/'-separated path a dataset's naming rule gives. Their bytes are passed through
 * unchanged so the stored raw object hashes the same as the file. A file larger than `maxFileBytes` is refused
 * (FileTooLargeError), by its size before reading and by the bytes read, should it grow meanwhile.
 */
export class DirectoryFiles implements SourceFiles {
  readonly dir: string;
  readonly #maxFileBytes: number;

  constructor(dir: string, { maxFileBytes = DEFAULT_MAX_FILE_BYTES }: { maxFileBytes?: number } = {}) {
    this.dir = path.resolve(dir);
    this.#maxFileBytes = maxFileBytes;
  }

  describe(): string {
    return `dir:${this.dir}`;
  }

  async open(relative: string, notFound: (where: string) => Error): Promise<SourceObject> {
    const file = path.join(this.dir, ...relative.split('/'));
    // Opening first turns a missing file into the dataset's not-found error here rather than an error event on the stream.
    const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw notFound(file);
      throw error;
    });
    const sourceUri = pathToFileURL(file).href;
    try {
      refuseOversize(sourceUri, (await handle.stat()).size, this.#maxFileBytes);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return { body: capBytes(handle.createReadStream(), this.#maxFileBytes, sourceUri), sourceUri };
  }
}
