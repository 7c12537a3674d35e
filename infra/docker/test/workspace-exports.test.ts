import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workspaceDirs } from '../assemble-runtime.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * assemble-runtime points each export of a workspace at its compiled module, so an export naming a module that does
 * not exist is an import that fails in the image as it does in the repository.
 */
describe('workspace exports', () => {
  it('name modules that exist', () => {
    const missing = workspaceDirs(REPO).flatMap((dir) => {
      const manifest = JSON.parse(readFileSync(join(REPO, dir, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
      return Object.entries(manifest.exports ?? {})
        .filter(([, target]) => !target.includes('*') && !existsSync(join(REPO, dir, target)))
        .map(([subpath, target]) => `${dir}: "${subpath}" -> ${target}`);
    });
    expect(missing).toEqual([]);
  });
});
