import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleCode, assembleManifests, assembleRuntime, compiledTarget, isDevelopmentOnly, runtimeManifest, runtimeWorkspaceDirs, workspaceDirs } from '../assemble-runtime.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function write(file: string, text: string) {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

/** A three-workspace repository with its build output, shaped like this one (libs/ds a dataset with its migrations). */
function fakeRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'assemble-'));
  dirs.push(root);
  write(join(root, 'package.json'), JSON.stringify({ name: 'r', workspaces: ['libs/*'], devDependencies: { vitest: '^4' } }));
  write(join(root, 'package-lock.json'), '{"lockfileVersion":3}');
  write(join(root, 'libs/cli/package.json'), JSON.stringify({ name: '@x/cli', exports: { '.': './src/index.ts', './*': './src/*.ts' }, bin: { spine: './bin/spine.mjs' }, scripts: { test: 'vitest' }, dependencies: { commander: '^14' }, devDependencies: { tsx: '^4' } }));
  write(join(root, 'libs/cli/src/main.ts'), '');
  write(join(root, 'libs/db/package.json'), JSON.stringify({ name: '@x/db', exports: { '.': './src/index.ts' } }));
  write(join(root, 'libs/db/sql/001.sql'), 'select 1;');
  write(join(root, 'libs/ds/package.json'), JSON.stringify({ name: '@x/ds', exports: { './dataset': './src/dataset.ts' } }));
  write(join(root, 'libs/ds/migrations/002_ds.sql'), 'select 2;');
  write(join(root, 'dist/libs/ds/src/dataset.js'), 'export {};');
  write(join(root, 'libs/db/test/db.test.ts'), '');
  write(join(root, 'dist/libs/cli/src/main.js'), 'export {};');
  write(join(root, 'dist/libs/cli/src/main.js.map'), '{}');
  write(join(root, 'dist/libs/db/src/index.js'), 'export {};');
  write(join(root, 'dist/infra/docker/healthcheck.js'), 'export {};');
  return root;
}

describe('assembleRuntime', () => {
  it('maps source export targets to compiled ones and rejects anything else', () => {
    expect(compiledTarget('./src/index.ts')).toBe('./dist/index.js');
    expect(compiledTarget('./src/*.ts')).toBe('./dist/*.js');
    expect(() => compiledTarget('./lib/index.js')).toThrow(/not a \.\/src/);
  });

  it('keeps dependency fields (npm ci compares them with the lock file) and drops scripts', () => {
    const m = runtimeManifest({ name: 'a', exports: { '.': './src/index.ts' }, scripts: { build: 'tsc' }, dependencies: { zod: '^4' }, devDependencies: { tsx: '^4' } });
    expect(m).toEqual({ name: 'a', exports: { '.': './dist/index.js' }, dependencies: { zod: '^4' }, devDependencies: { tsx: '^4' } });
  });

  it('lays out compiled code, manifests, SQL and a compiled bin, without tests or source maps', () => {
    const root = fakeRepo();
    const out = join(root, 'out');
    expect(workspaceDirs(root)).toEqual(['libs/cli', 'libs/db', 'libs/ds']);
    assembleRuntime(root, out);
    const cli = JSON.parse(readFileSync(join(out, 'libs/cli/package.json'), 'utf8'));
    expect(cli.exports).toEqual({ '.': './dist/index.js', './*': './dist/*.js' });
    expect(cli.scripts).toBeUndefined();
    expect(cli.devDependencies).toEqual({ tsx: '^4' });
    expect(readFileSync(join(out, 'libs/cli/bin/spine.mjs'), 'utf8')).toBe("#!/usr/bin/env node\nimport '../dist/main.js';\n");
    expect(existsSync(join(out, 'libs/cli/dist/main.js'))).toBe(true);
    expect(existsSync(join(out, 'libs/cli/dist/main.js.map'))).toBe(false);
    expect(readFileSync(join(out, 'libs/db/sql/001.sql'), 'utf8')).toBe('select 1;');
    // A dataset's own migrations, beside its compiled code as beside its source (its definition reads ../migrations).
    expect(readFileSync(join(out, 'libs/ds/migrations/002_ds.sql'), 'utf8')).toBe('select 2;');
    expect(existsSync(join(out, 'libs/ds/dist/dataset.js'))).toBe(true);
    expect(existsSync(join(out, 'libs/db/test'))).toBe(false);
    expect(existsSync(join(out, 'libs/db/src'))).toBe(false);
    expect(existsSync(join(out, 'infra/docker/healthcheck.js'))).toBe(true);
    expect(readFileSync(join(out, 'package-lock.json'), 'utf8')).toBe('{"lockfileVersion":3}');
  });

  it('fails when a workspace was not compiled', () => {
    const root = fakeRepo();
    rmSync(join(root, 'dist/libs/db'), { recursive: true });
    expect(() => assembleRuntime(root, join(root, 'out'))).toThrow(/libs\/db: no compiled code/);
  });

  it('lays out the manifests alone, from the repository without a build, so the install can come before the code', () => {
    const root = fakeRepo();
    rmSync(join(root, 'dist'), { recursive: true });
    const out = join(root, 'out');
    assembleManifests(root, out);
    expect(JSON.parse(readFileSync(join(out, 'libs/cli/package.json'), 'utf8')).exports).toEqual({ '.': './dist/index.js', './*': './dist/*.js' });
    expect(readFileSync(join(out, 'libs/cli/bin/spine.mjs'), 'utf8')).toBe("#!/usr/bin/env node\nimport '../dist/main.js';\n");
    expect(existsSync(join(out, 'libs/cli/dist'))).toBe(false);
    // The code, later, needs the main module the bin imports.
    expect(() => assembleCode(root, out)).toThrow(/libs\/cli: no compiled code/);
  });

  it('leaves the development-only workspaces (dev/*) out whole: no manifest, no code, no workspace glob', () => {
    const root = fakeRepo();
    write(join(root, 'package.json'), JSON.stringify({ name: 'r', workspaces: ['libs/*', 'dev/*'], scripts: { demo: 'tsx dev/demo/src/main.ts' }, devDependencies: { vitest: '^4' } }));
    write(join(root, 'dev/stand-in/package.json'), JSON.stringify({ name: '@x/stand-in', exports: { '.': './src/index.ts' }, dependencies: { '@x/db': '*' } }));
    write(join(root, 'dev/stand-in/src/index.ts'), 'export {};');
    expect(workspaceDirs(root)).toEqual(['libs/cli', 'libs/db', 'libs/ds', 'dev/stand-in']);
    expect(runtimeWorkspaceDirs(root)).toEqual(['libs/cli', 'libs/db', 'libs/ds']);
    const out = join(root, 'out');
    // No dist/dev/*: the build compiles no development-only workspace, and the assembly asks for none.
    expect(assembleRuntime(root, out)).toEqual(['libs/cli', 'libs/db', 'libs/ds']);
    expect(existsSync(join(out, 'dev'))).toBe(false);
    expect(JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'))).toEqual({ name: 'r', workspaces: ['libs/*'], devDependencies: { vitest: '^4' } });
  });

  it('tells development-only workspace directories and globs from production ones', () => {
    expect(['dev/demo', 'dev/*', 'dev', 'libs/cli', 'apps/*', 'devtools/x'].filter(isDevelopmentOnly)).toEqual(['dev/demo', 'dev/*', 'dev']);
  });
});
