import { open } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SourceNotFoundError, type FinraSource, type SourceObject, type WeekRequest } from './source.ts';
import { weekFileName } from './week-file-name.ts';

/**
 * Week files in a local directory, `<dir>/<TIER>/<week_ending>.psv` (see week-file-name.ts). The files must
 * already be in FINRA's download format; their bytes are passed through unchanged so the stored raw object
 * hashes the same as the file.
 */
export class DirectorySource implements FinraSource {
  readonly kind = 'dir';
  readonly dir: string;

  constructor(dir: string) {
    this.dir = path.resolve(dir);
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
    return { body: handle.createReadStream(), sourceUri: pathToFileURL(file).href };
  }
}
