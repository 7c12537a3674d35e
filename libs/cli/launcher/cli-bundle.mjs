// The checkout's `spine` runs from a bundle of its TypeScript, built by esbuild on the first start after a source
// changed and reused until the next change: compiling the CLI's ~200 modules on every start (tsx) cost 1.8 s a command.
// Plain JavaScript, because it runs before anything can compile TypeScript. The image does not use it: it ships the
// tsc build (infra/docker/assemble-runtime.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));
const REPO_ROOT = resolve(CLI_DIR, '../..');
const ENTRY = join(CLI_DIR, 'src/main.ts');
/** Beside the dependencies it imports, and wiped with them by `npm ci`. */
export const BUNDLE_ROOT = join(REPO_ROOT, 'node_modules/.cache/spine-cli');
const CURRENT = join(BUNDLE_ROOT, 'current.json');
// A process that started from an older build may still import its lazily loaded chunks: builds are removed only once
// they are this old and no longer current.
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/**
 * @typedef {{ id: string, builtAt: number, inputs: string[], digests?: Record<string, string> }} BuildRecord
 * inputs: repository-relative paths of every file the bundle was built from, workspace manifests included.
 * digests: the SHA-256 of the lock files among them, which npm rewrites on every install whether or not anything changed.
 */

/**
 * The locked versions of what the bundle holds besides the sources (zod): the lock file, and the one npm writes into
 * node_modules when it installs, so a bundle built before an `npm install` caught up with a pulled lock file is stale.
 */
const LOCK_FILES = ['package-lock.json', 'node_modules/.package-lock.json'];

/** What a bundle depends on beside its sources: how it is built (this module) and the lock files that exist. */
function buildInputs() {
  return [relative(REPO_ROOT, fileURLToPath(import.meta.url)), ...LOCK_FILES.filter((file) => existsSync(join(REPO_ROOT, file)))];
}

function digestOf(/** @type {string} */ path) {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** @returns {BuildRecord | undefined} */
function readCurrent() {
  try {
    return JSON.parse(readFileSync(CURRENT, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * True when no input under `root` changed (or disappeared) since the build started: not written since, or, for an input
 * with a recorded digest, rewritten with the same content.
 */
export function isFresh(/** @type {BuildRecord} */ record, root = REPO_ROOT) {
  try {
    return record.inputs.every((input) => statSync(join(root, input)).mtimeMs <= record.builtAt
      || (record.digests?.[input] !== undefined && digestOf(join(root, input)) === record.digests[input]));
  } catch {
    return false;
  }
}

// Bundled modules would otherwise see the bundle's URL as import.meta.url; the code finds files next to its source
// (the migrations' SQL, the stack's scripts, the repository root), so each module keeps its own.
const keepModuleUrls = {
  name: 'keep-module-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.includes('import.meta.url') ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)) : source;
      return { contents, loader: 'ts' };
    });
  },
};

// Workspace packages are bundled, and zod: through node_modules its entry would load each of its locales as a module of
// its own (30-45 ms of every start on Node 20). Other third-party packages stay imports of node_modules (BullMQ reads its
// Lua scripts from its own directory, the AWS SDK and pg have optional native parts, pino starts its transports from
// files). Only workspace code imports zod, so the bundle holds its one copy, and of it only what the code uses: the code
// imports it as a namespace (`import * as z`, which ESLint holds it to), whose unused parts, the locales among them,
// esbuild leaves out (202 of zod's 755 KB).
const BUNDLED = /^(@spine\/|zod(\/|$))/;
const thirdPartyExternal = {
  name: 'third-party-external',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => (BUNDLED.test(args.path) ? undefined : { path: args.path, external: true }));
  },
};

/** Builds a new bundle and makes it current; returns its entry module's path. */
export async function buildBundle() {
  const { build } = await import('esbuild');
  const builtAt = Date.now();
  const id = `${builtAt}-${process.pid}`;
  // As they are when the build starts: an install during the build leaves a digest that no longer matches.
  const digests = Object.fromEntries(buildInputs().filter((input) => LOCK_FILES.includes(input)).map((input) => [input, digestOf(join(REPO_ROOT, input))]));
  const outdir = join(BUNDLE_ROOT, id);
  const result = await build({
    absWorkingDir: REPO_ROOT, entryPoints: { main: ENTRY }, outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', target: 'node20',
    sourcemap: 'linked', metafile: true, logLevel: 'silent', plugins: [keepModuleUrls, thirdPartyExternal],
  });
  // The bundled dependencies' files change only with the lock file, an input of its own: not stat'ed one by one.
  const sources = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/'));
  const manifests = [...new Set(sources.map((s) => s.split('/').slice(0, 2).join('/')))].map((ws) => `${ws}/package.json`);
  const record = { id, builtAt, inputs: [...sources, ...manifests, ...buildInputs()], digests };
  const staging = `${CURRENT}.${process.pid}`;
  writeFileSync(staging, JSON.stringify(record));
  renameSync(staging, CURRENT);
  prune(id);
  return join(outdir, 'main.js');
}

function prune(/** @type {string} */ keep) {
  for (const entry of readdirSync(BUNDLE_ROOT, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === keep) continue;
    const path = join(BUNDLE_ROOT, entry.name);
    if (Date.now() - statSync(path).mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** The entry module of a current bundle, building one when the sources changed since the last. */
export async function bundleEntry() {
  const record = readCurrent();
  // A record that does not list the build's own inputs (written by an earlier launcher) cannot say they did not change.
  if (record && buildInputs().every((input) => record.inputs.includes(input)) && isFresh(record)) return join(BUNDLE_ROOT, record.id, 'main.js');
  mkdirSync(dirname(CURRENT), { recursive: true });
  return buildBundle();
}
