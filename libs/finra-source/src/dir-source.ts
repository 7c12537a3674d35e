import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { capBytes, DEFAULT_MAX_FILE_BYTES, refuseOversize } from '@spine/platform';
import { SourceNotFoundError, type FinraSource, type SourceObject, type WeekRequest } from './source.ts';
import { weekFileName } from './week-file-name.ts';

/**
 * Week files in a local directory, `<dir>/<TIER>/<week_ending>.psv` (see week-file-name.ts). The files must
 * already be in FINRA's download format; their bytes are passed through unchanged so the stored raw object
 * hashes the same as the file. A file larger than `maxFileBytes` is refused (FileTooLargeError), by its size before
 * reading and by the bytes read, should it grow meanwhile.
 */
export class DirectorySource implements FinraSource {
  readonly kind = 'dir';
  readonly dir: string;
  readonly #maxFileBytes: number;

  constructor(dir: string, { maxFileBytes = DEFAULT_MAX_FILE_BYTES }: { maxFileBytes?: number } = {}) {
    this.dir = path.resolve(dir);
    this.#maxFileBytes = maxFileBytes;
  }

  describe(): string {
    return `dir:${this.dir}`;
  }

  async openWeek(req: WeekRequest): Promise<SourceObject> {
    const file = path.join(this.dir, ...weekFileName(req).split('/'));
    // Opening first turns a missing file into SourceNotFoundError here rather than an error event on the stream.
    const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new SourceNotFoundError(req.tier, req.weekEnding, file, req.venueType);
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
