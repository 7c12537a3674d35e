/**
 * Lays out the runtime tree of the image from the compiled build (`tsc -p tsconfig.build.json` -> dist/):
 *   <out>/package.json, package-lock.json          as in the repository, so `npm ci --omit=dev` runs unchanged
 *   <out>/<workspace>/package.json                 exports and bin pointed at compiled JavaScript
 *   <out>/<workspace>/dist/**                      dist/<workspace>/src/** (no tests: tsconfig.build.json compiles src only;
 *                                                  no development-only modules: DEVELOPMENT_ONLY)
 *   <out>/libs/migrations/sql                      the SQL files node-pg-migrate reads
 *   <out>/infra/docker/healthcheck.js              the container healthcheck
 * The workspace manifests keep their dependency fields byte for byte: npm ci refuses a lock file whose recorded
 * workspace dependencies differ from the manifests.
 *
 *   node dist/infra/docker/assemble-runtime.js [--manifests | --code] <out>     (from the repository root)
 * The image's build runs the two parts apart (manifests, install, then code) so that a change to the code reuses the
 * install; without a flag both run.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
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

/**
 * Code the image leaves out: the FINRA stand-in (a test double), the synthetic week generator, the demo that drives
 * them and the local stack. Nothing a role of the image runs imports them; `spine demo` loads them and is a
 * development command (it also needs the local servers). Paths as in the repository, without the extension.
 */
export const DEVELOPMENT_ONLY = ['libs/finra-source/src/stand-in', 'libs/finra-source/src/stand-in-main', 'libs/otc/src/synthetic', 'libs/cli/src/demo', 'infra/local/src'];

function developmentOnly(repoPath: string): boolean {
  const bare = repoPath.replace(/\.js$/, '');
  return DEVELOPMENT_ONLY.some((p) => bare === p || bare.startsWith(`${p}/`));
}

/**
 * The part `npm ci --omit=dev` needs, from the manifests alone: the root manifest and lock file, each workspace's
 * runtime manifest and its bin launchers. The image installs from these before the code is compiled.
 */
export function assembleManifests(root: string, out: string): string[] {
  mkdirSync(out, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) cpSync(join(root, f), join(out, f));
  const dirs = workspaceDirs(root);
  for (const dir of dirs) {
    const manifest = readManifest(join(root, dir, 'package.json'));
    mkdirSync(join(out, dir), { recursive: true });
    writeFileSync(join(out, dir, 'package.json'), `${JSON.stringify(runtimeManifest(manifest), null, 2)}\n`);
    for (const [name, target] of Object.entries(manifest.bin ?? {})) {
      // The repository's bins (bin/*.mjs) load src/main.ts through tsx; the image's bin imports the compiled main.
      if (!target.startsWith('./bin/')) throw new Error(`${dir}: bin ${name} is not a bin/ launcher of src/main.ts`);
      const entry = compiledTarget('./src/main.ts');
      mkdirSync(join(out, dir, 'bin'), { recursive: true });
      writeFileSync(join(out, dir, 'bin', `${name}.mjs`), `#!/usr/bin/env node\nimport '.${entry}';\n`, { mode: 0o755 });
    }
  }
  return dirs;
}

/** The compiled code of every workspace (no source maps, nothing development-only), its SQL and the healthcheck. */
export function assembleCode(root: string, out: string, buildDir = join(root, 'dist')): string[] {
  const dirs = workspaceDirs(root);
  for (const dir of dirs) {
    const compiled = join(buildDir, dir, 'src');
    if (!existsSync(compiled)) throw new Error(`${dir}: no compiled code in ${compiled} (run npm run build first)`);
    const bins = Object.keys(readManifest(join(root, dir, 'package.json')).bin ?? {});
    if (bins.length && !existsSync(join(compiled, 'main.js'))) throw new Error(`${dir}: bin ${bins.join(', ')} needs src/main.ts, which was not compiled`);
    const repoPath = (src: string) => join(dir, 'src', relative(compiled, src));
    cpSync(compiled, join(out, dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') && !developmentOnly(repoPath(src)) });
    if (existsSync(join(root, dir, 'sql'))) cpSync(join(root, dir, 'sql'), join(out, dir, 'sql'), { recursive: true });
  }
  mkdirSync(join(out, 'infra/docker'), { recursive: true });
  cpSync(join(buildDir, 'infra/docker/healthcheck.js'), join(out, 'infra/docker/healthcheck.js'));
  return dirs;
}

export function assembleRuntime(root: string, out: string, buildDir = join(root, 'dist')): string[] {
  assembleManifests(root, out);
  return assembleCode(root, out, buildDir);
}

const PARTS = { manifests: assembleManifests, code: assembleCode, all: assembleRuntime } as const;

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values, positionals } = parseArgs({ options: { manifests: { type: 'boolean' }, code: { type: 'boolean' } }, allowPositionals: true });
  const out = positionals[0];
  if (!out || positionals.length > 1 || (values.manifests && values.code)) {
    console.error('usage: assemble-runtime [--manifests | --code] <out-dir>');
    process.exit(2);
  }
  const part = values.manifests ? 'manifests' : values.code ? 'code' : 'all';
  const dirs = PARTS[part](process.cwd(), resolve(out));
  console.error(`assembled the ${part === 'all' ? 'runtime tree' : part} of ${dirs.length} workspaces into ${out}`);
}
