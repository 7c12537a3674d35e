/**
 * Lays out the runtime tree of the image from the compiled build (`tsc -p tsconfig.build.json` -> dist/):
 *   <out>/package.json, package-lock.json          as in the repository, so `npm ci --omit=dev` runs unchanged
 *   <out>/<workspace>/package.json                 exports and bin pointed at compiled JavaScript
 *   <out>/<workspace>/dist/**                      dist/<workspace>/src/** (no tests: tsconfig.build.json compiles src only)
 *   <out>/libs/migrations/sql                      the SQL files node-pg-migrate reads
 *   <out>/infra/docker/healthcheck.js              the container healthcheck
 * The workspace manifests keep their dependency fields byte for byte: npm ci refuses a lock file whose recorded
 * workspace dependencies differ from the manifests.
 *
 *   node dist/infra/docker/assemble-runtime.js <out>     (from the repository root)
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

const manifestSchema = z.looseObject({
  name: z.string(),
  workspaces: z.array(z.string()).optional(),
  exports: z.record(z.string(), z.string()).optional(),
  bin: z.record(z.string(), z.string()).optional(),
  scripts: z.record(z.string(), z.string()).optional(),
});
type Manifest = z.infer<typeof manifestSchema>;

function readManifest(file: string): Manifest {
  return manifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** `./src/x.ts` -> `./dist/x.js` (also `./src/*.ts` -> `./dist/*.js`); anything else is a mistake in the manifest. */
export function compiledTarget(target: string): string {
  const m = /^\.\/src\/(.+)\.ts$/.exec(target);
  if (!m) throw new Error(`export target ${target} is not a ./src/*.ts path`);
  return `./dist/${m[1]}.js`;
}

/** The workspace directories the root manifest's globs name (only trailing `/*` globs, as this repository uses). */
export function workspaceDirs(root: string): string[] {
  const globs = readManifest(join(root, 'package.json')).workspaces ?? [];
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return existsSync(join(root, glob, 'package.json')) ? [glob] : [];
    const parent = glob.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(root, parent, e.name, 'package.json')))
      .map((e) => `${parent}/${e.name}`);
  });
}

/** The runtime manifest: compiled exports, bins as generated launchers, no scripts (no tsx or vitest at run time). */
export function runtimeManifest(manifest: Manifest): Manifest {
  const out: Manifest = { ...manifest };
  delete out.scripts;
  if (manifest.exports) out.exports = Object.fromEntries(Object.entries(manifest.exports).map(([k, v]) => [k, compiledTarget(v)]));
  if (manifest.bin) out.bin = Object.fromEntries(Object.keys(manifest.bin).map((name) => [name, `./bin/${name}.mjs`]));
  return out;
}

export function assembleRuntime(root: string, out: string, buildDir = join(root, 'dist')): string[] {
  mkdirSync(out, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(root, f), join(out, f));
  const dirs = workspaceDirs(root);
  for (const dir of dirs) {
    const manifest = readManifest(join(root, dir, 'package.json'));
    const compiled = join(buildDir, dir, 'src');
    if (!existsSync(compiled)) throw new Error(`${dir}: no compiled code in ${compiled} (run npm run build first)`);
    mkdirSync(join(out, dir), { recursive: true });
    cpSync(compiled, join(out, dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
    const runtime = runtimeManifest(manifest);
    writeFileSync(join(out, dir, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
    for (const [name, target] of Object.entries(manifest.bin ?? {})) {
      // The repository's bins (bin/*.mjs) load src/main.ts through tsx; the image's bin imports the compiled main.
      if (!target.startsWith('./bin/') || !existsSync(join(root, dir, 'src/main.ts'))) throw new Error(`${dir}: bin ${name} is not a bin/ launcher of src/main.ts`);
      const entry = compiledTarget('./src/main.ts');
      mkdirSync(join(out, dir, 'bin'), { recursive: true });
      writeFileSync(join(out, dir, 'bin', `${name}.mjs`), `#!/usr/bin/env node\nimport '.${entry}';\n`, { mode: 0o755 });
    }
    if (existsSync(join(root, dir, 'sql'))) cpSync(join(root, dir, 'sql'), join(out, dir, 'sql'), { recursive: true });
  }
  mkdirSync(join(out, 'infra/docker'), { recursive: true });
  cpSync(join(buildDir, 'infra/docker/healthcheck.js'), join(out, 'infra/docker/healthcheck.js'));
  return dirs;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: assemble-runtime <out-dir>');
    process.exit(2);
  }
  const dirs = assembleRuntime(process.cwd(), resolve(out));
  console.error(`assembled ${dirs.length} workspaces into ${out}`);
}
