import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isDevelopmentOnly, workspaceDirs } from '../../infra/docker/assemble-runtime.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'] as const;

interface WorkspaceManifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const workspaces = workspaceDirs(ROOT).map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as WorkspaceManifest }));
const devOnly = workspaces.filter((w) => isDevelopmentOnly(w.dir));
const production = workspaces.filter((w) => !isDevelopmentOnly(w.dir));

/**
 * The runtime image holds the production workspaces only (infra/docker/assemble-runtime.ts leaves dev/* out whole), so
 * a production workspace that declared a development-only one would fail to install there, or ship a test double.
 * ESLint (eslint.config.js, DEV_ONLY) says the same of their source's imports.
 */
describe('the development-only workspaces (dev/*)', () => {
  it('are the stand-in, the synthetic generators, the local stack and the demo, all private', () => {
    expect(devOnly.map((w) => w.manifest.name).sort()).toEqual(['@spine/demo', '@spine/finra-stand-in', '@spine/local-stack', '@spine/otc-synthetic', '@spine/regsho-synthetic']);
    for (const w of devOnly) expect(w.manifest.private, w.dir).toBe(true);
    expect(production.length).toBeGreaterThan(10);
  });

  it('are a dependency of no production workspace (libs/*, apps/*), in any dependency field', () => {
    const names = new Set(devOnly.map((w) => w.manifest.name));
    const declared = production.flatMap(({ dir, manifest }) =>
      DEPENDENCY_FIELDS.flatMap((field) => Object.keys(manifest[field] ?? {}).filter((name) => names.has(name)).map((name) => `${dir} ${field}: ${name}`)));
    expect(declared).toEqual([]);
  });
});
