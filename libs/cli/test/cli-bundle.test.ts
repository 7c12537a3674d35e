import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- plain JavaScript launcher without declarations
import { BUNDLE_ROOT, buildBundle, bundleEntry, isFresh } from '../launcher/cli-bundle.mjs';

const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

describe('the CLI bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is stale once an input is newer than the build or gone', () => {
    writeFileSync(join(dir, 'a.ts'), 'export {};\n');
    const builtAt = Date.now();
    utimesSync(join(dir, 'a.ts'), new Date(builtAt - 1000), new Date(builtAt - 1000));
    const record = { id: 'x', builtAt, inputs: ['a.ts'] };
    expect(isFresh(record, dir)).toBe(true);
    utimesSync(join(dir, 'a.ts'), new Date(builtAt + 1000), new Date(builtAt + 1000));
    expect(isFresh(record, dir)).toBe(false);
    expect(isFresh({ ...record, inputs: ['a.ts', 'gone.ts'] }, dir)).toBe(false);
  });

  it('stays fresh when a lock file is rewritten with the same content (npm install), not when its content changes', () => {
    const lock = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/zod': { version: '4.6.7' } } });
    writeFileSync(join(dir, 'package-lock.json'), lock);
    const builtAt = Date.now();
    const digest = createHash('sha256').update(lock).digest('hex');
    const record = { id: 'x', builtAt, inputs: ['package-lock.json'], digests: { 'package-lock.json': digest } };
    utimesSync(join(dir, 'package-lock.json'), new Date(builtAt + 1000), new Date(builtAt + 1000));
    expect(isFresh(record, dir)).toBe(true);
    expect(isFresh({ ...record, digests: {} }, dir)).toBe(false);
    writeFileSync(join(dir, 'package-lock.json'), lock.replace('4.6.7', '4.7.0'));
    utimesSync(join(dir, 'package-lock.json'), new Date(builtAt + 1000), new Date(builtAt + 1000));
    expect(isFresh(record, dir)).toBe(false);
  });

  it('is built again when its record does not list the build\'s own inputs (a record from an earlier launcher)', async () => {
    const first: string = await bundleEntry();
    const current = join(BUNDLE_ROOT, 'current.json');
    const record = JSON.parse(readFileSync(current, 'utf8')) as { inputs: string[] };
    expect(await bundleEntry()).toBe(first);
    writeFileSync(current, JSON.stringify({ ...record, inputs: record.inputs.filter((input) => input !== 'libs/cli/launcher/cli-bundle.mjs') }));
    expect(await bundleEntry()).not.toBe(first);
  });

  it('records every source and workspace manifest it was built from, and keeps each module its own URL', async () => {
    const entry: string = await buildBundle();
    const record = JSON.parse(readFileSync(join(BUNDLE_ROOT, 'current.json'), 'utf8')) as { inputs: string[] };
    expect(record.inputs).toEqual(expect.arrayContaining(['libs/cli/src/main.ts', 'libs/cli/package.json', 'libs/platform/package.json',
      'libs/cli/launcher/cli-bundle.mjs', 'package-lock.json', 'node_modules/.package-lock.json']));
    // The bundled dependencies stand behind the lock files, not file by file.
    expect(record.inputs.filter((input) => input.includes('node_modules'))).toEqual(['node_modules/.package-lock.json']);
    const outdir = dirname(entry);
    const modules = readdirSync(outdir).filter((f) => f.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(1);
    // zod is bundled, without what the code does not use (its other locales among it); other packages stay imports.
    const code = modules.map((m) => readFileSync(join(outdir, m), 'utf8')).join('\n');
    expect(code).not.toMatch(/from "zod(\/[^"]*)?"/);
    expect(code).toMatch(/from "commander"/);
    expect(code).toContain('Invalid input');
    // German's "expected" (ASCII: esbuild escapes the locales' other letters).
    expect(code).not.toContain('erwartet');
    for (const module of modules) expect(readFileSync(join(outdir, module), 'utf8')).not.toContain('import.meta.url');
    expect(readFileSync(join(outdir, modules.find((m) => m !== 'main.js' && readFileSync(join(outdir, m), 'utf8').includes('migrations/src/index.ts'))!), 'utf8'))
      .toContain(JSON.stringify(pathToFileURL(join(REPO_ROOT, 'libs/migrations/src/index.ts')).href));
  });
});
