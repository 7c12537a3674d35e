/**
 * Lays out the runtime tree of the image from the compiled build (`tsc -p tsconfig.build.json` -> dist/):
 *   <out>/package.json                             the root manifest naming the production workspaces only
 *   <out>/package-lock.json                        as in the repository, so `npm ci --omit=dev` runs unchanged
 *   <out>/<workspace>/package.json                 exports and bin pointed at compiled JavaScript
 *   <out>/<workspace>/dist/**                      dist/<workspace>/src/** (no tests: tsconfig.build.json compiles src only)
 * for every production workspace (libs/*, apps/*); nothing of the development-only ones (dev/*, isDevelopmentOnly).
 *   <out>/libs/migrations/sql                      the platform's SQL migrations node-pg-migrate reads
 *   <out>/<workspace>/migrations                   a dataset's own migrations (libs/otc, libs/regsho), which its
 *                                                  definition finds beside its compiled code (../migrations)
 *   <out>/infra/docker/healthcheck.js              the container healthcheck
 * The workspace manifests keep their dependency fields byte for byte: npm ci refuses a lock file whose recorded
 * workspace dependencies differ from the manifests.
 *
 *   node dist/infra/docker/assemble-runtime.js [--manifests | --code] <out>     (from the repository root)
 * The image's build runs the two parts apart (manifests, install, then code) so that a change to the code reuses the
 * install; without a flag both run.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod';

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
 * The development-only workspaces live under dev/: the FINRA stand-in (a test double), the synthetic week generator,
 * the local stack and the demo that drives them. No production workspace depends on one
 * (tests/static/dev-only-workspaces.test.ts), so the runtime tree leaves them out whole, manifest and code.
 */
export const DEVELOPMENT_ONLY_DIR = 'dev';

export function isDevelopmentOnly(workspaceDir: string): boolean {
  return workspaceDir === DEVELOPMENT_ONLY_DIR || workspaceDir.startsWith(`${DEVELOPMENT_ONLY_DIR}/`);
}

/** The workspaces the runtime tree holds: every one but the development-only ones. */
export function runtimeWorkspaceDirs(root: string): string[] {
  return workspaceDirs(root).filter((dir) => !isDevelopmentOnly(dir));
}

/**
 * The runtime tree's root manifest: no scripts, and the production workspace globs only. npm ci accepts the
 * repository's lock file with it: the entries of the workspaces it no longer names are extraneous, and npm installs
 * none of them (the runtime-tree test checks that).
 */
export function runtimeRootManifest(manifest: Manifest): Manifest {
  return { ...runtimeManifest(manifest), workspaces: (manifest.workspaces ?? []).filter((glob) => !isDevelopmentOnly(glob)) };
}

/**
 * The part `npm ci --omit=dev` needs, from the manifests alone: the root manifest and lock file, each workspace's
 * runtime manifest and its bin launchers. The image installs from these before the code is compiled.
 */
export function assembleManifests(root: string, out: string): string[] {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(runtimeRootManifest(readManifest(join(root, 'package.json'))), null, 2)}\n`);
  cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
  const dirs = runtimeWorkspaceDirs(root);
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

/**
 * The directories of a workspace that its compiled code reads at run time, copied as they are: the platform's
 * migrations (`sql`) and a dataset package's own (`migrations`). Each is found relative to the module that names it
 * (`new URL('../sql', import.meta.url)`), so it sits beside `dist` as it sits beside `src` in the repository.
 */
export const RUNTIME_DATA_DIRS = ['sql', 'migrations'] as const;

/** The compiled code of every production workspace (no source maps), its migrations and the healthcheck. */
export function assembleCode(root: string, out: string, buildDir = join(root, 'dist')): string[] {
  const dirs = runtimeWorkspaceDirs(root);
  for (const dir of dirs) {
    const compiled = join(buildDir, dir, 'src');
    if (!existsSync(compiled)) throw new Error(`${dir}: no compiled code in ${compiled} (run npm run build first)`);
    const bins = Object.keys(readManifest(join(root, dir, 'package.json')).bin ?? {});
    if (bins.length && !existsSync(join(compiled, 'main.js'))) throw new Error(`${dir}: bin ${bins.join(', ')} needs src/main.ts, which was not compiled`);
    cpSync(compiled, join(out, dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('.map') });
    for (const data of RUNTIME_DATA_DIRS) {
      if (existsSync(join(root, dir, data))) cpSync(join(root, dir, data), join(out, dir, data), { recursive: true });
    }
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
