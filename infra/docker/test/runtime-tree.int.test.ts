// The image's runtime tree, built and run without Docker: the TypeScript compiled by tsconfig.build.json, laid out by
// assemble-runtime, production dependencies installed by `npm ci --omit=dev` from the real lock file, then the
// compiled CLI migrating and serving as a worker, checked by the image's healthcheck. .ci/run runs this on the Node
// LTS the Dockerfile pins too.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, TestCluster } from '../../../tests/support/cluster.ts';
import { migrationDirs } from '@spine/datasets';
import { migrationFiles } from '@spine/platform';
import { createRunDatabase } from '../../../tests/support/global-setup.ts';
import { assembleRuntime } from '../assemble-runtime.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'runtime-tree-'));
const out = join(work, 'app');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.name === 'node_modules' ? [] : e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
}

interface Installed { name: string; version: string; path: string }

/** Every package installed under a node_modules directory, nested ones included (workspace links are not followed). */
function installedPackages(nodeModules: string): Installed[] {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules, { withFileTypes: true }).flatMap((e) => {
    if (!e.isDirectory() || e.name.startsWith('.')) return [];
    const dir = join(nodeModules, e.name);
    const packageDirs = e.name.startsWith('@') ? readdirSync(dir, { withFileTypes: true }).filter((s) => s.isDirectory()).map((s) => join(dir, s.name)) : [dir];
    return packageDirs.flatMap((pkg) => {
      if (!existsSync(join(pkg, 'package.json'))) return [];
      const { name, version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { name: string; version: string };
      return [{ name, version, path: pkg }, ...installedPackages(join(pkg, 'node_modules'))];
    });
  });
}

// s3rver (the local stack's S3 server, unmaintained) and the fast-xml-parser 3 it brings, with published advisories.
const devOnly = (p: Installed) => p.name === 's3rver' || (p.name === 'fast-xml-parser' && p.version.startsWith('3.'));

let workspaces: string[] = [];

/** The development-only workspaces (dev/*), by package name. */
const DEV_PACKAGES = ['@spine/finra-stand-in', '@spine/otc-synthetic', '@spine/regsho-synthetic', '@spine/local-stack', '@spine/demo'];

/** What the code of each development-only concern says and production code does not (comments aside). */
const DEV_CODE: Record<string, RegExp> = {
  'FINRA stand-in': /\b(startFinraStandIn|FaultSwitchboard|TokenIssuer)\b/,
  'synthetic week generator': /\b(writeWeekFile|generateWeekLines|mulberry32)\b/,
  's3rver (an import of it)': /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)['"]s3rver['"]/,
  'apt-get': /\bapt-get\b/,
  'local stack': /\b(ensureStack|stopStack)\b/,
  demo: /\b(runDemo|ensureDemoFixtures)\b/,
};

/** Code without its comments (production comments may name s3rver or the stand-in as what a test runs against). */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

beforeAll(async () => {
  await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.build.json'), '--outDir', join(work, 'dist')]);
  workspaces = assembleRuntime(REPO, out, join(work, 'dist'));
  await run('npm', ['ci', '--omit=dev', '--omit=optional', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: out });
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the runtime tree', () => {
  it('holds compiled JavaScript, manifests and SQL only: no TypeScript, tests or fixtures', () => {
    const all = files(out).map((f) => f.slice(out.length + 1));
    expect(all.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(all.filter((f) => /(^|\/)(test|tests|fixtures|src)\//.test(f))).toEqual([]);
    expect(all).toContain('libs/cli/dist/main.js');
    expect(all.some((f) => f.startsWith('libs/migrations/sql/') && f.endsWith('.sql'))).toBe(true);
    // Each dataset's own migrations beside its compiled definition, which finds them at ../migrations.
    for (const dataset of ['otc', 'regsho']) {
      expect(all, dataset).toContain(`libs/${dataset}/dist/dataset.js`);
      expect(all.some((f) => f.startsWith(`libs/${dataset}/migrations/`) && f.endsWith('.sql')), dataset).toBe(true);
    }
  });

  it('holds no development-only workspace (dev/*): no manifest, no link, no module imports one', () => {
    const all = files(out).map((f) => f.slice(out.length + 1));
    expect(workspaces.filter((w) => w.startsWith('dev/'))).toEqual([]);
    expect(all.filter((f) => f.startsWith('dev/'))).toEqual([]);
    expect(existsSync(join(out, 'dev'))).toBe(false);
    expect((JSON.parse(readFileSync(join(out, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces).toEqual(['libs/*', 'apps/*']);
    for (const name of DEV_PACKAGES) expect(existsSync(join(out, 'node_modules', name)), name).toBe(false);
    const dangling = all.filter((f) => f.endsWith('.js') || f.endsWith('.mjs')).flatMap((file) => {
      const text = readFileSync(join(out, file), 'utf8');
      const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)(['"])([^'"]+)\1/g)].map((m) => m[2]!);
      return specifiers
        .filter((spec) => (spec.startsWith('.') ? !existsSync(join(out, file, '..', spec)) : DEV_PACKAGES.some((name) => spec === name || spec.startsWith(`${name}/`))))
        .map((spec) => `${file} -> ${spec}`);
    });
    expect(dangling).toEqual([]);
  });

  it('holds no stand-in, synthetic generator, local-stack (s3rver, apt-get) or demo code', () => {
    // The lock file names the development workspaces and their packages (as dev entries, which npm ci skips): it is
    // the repository's, byte for byte. Everything else the tree holds is scanned, comments left out.
    const scanned = files(out).filter((f) => !f.endsWith('package-lock.json')).map((f) => ({ file: f.slice(out.length + 1), code: code(readFileSync(f, 'utf8')) }));
    expect(scanned.length).toBeGreaterThan(100);
    for (const [what, marker] of Object.entries(DEV_CODE)) {
      expect(scanned.filter((f) => marker.test(f.code)).map((f) => f.file), what).toEqual([]);
    }
    // The same scan finds each in the development workspaces' sources: it looks for what they contain.
    const devSources = readdirSync(join(REPO, 'dev'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.parentPath.includes('node_modules'))
      .map((e) => code(readFileSync(join(e.parentPath, e.name), 'utf8')));
    for (const [what, marker] of Object.entries(DEV_CODE)) expect(devSources.some((text) => marker.test(text)), what).toBe(true);
  });

  it('installs no development package', () => {
    // typescript and @types/* are optional peers of production packages: npm keeps them unless optional ones are omitted.
    for (const pkg of ['tsx', 'vitest', 's3rver', 'playwright-core', 'nx', 'eslint', 'typescript-eslint', 'kubernetes-models', 'fflate', '@types/express', 'typescript', '@types/node', '@types/pg']) {
      expect(existsSync(join(out, 'node_modules', pkg)), pkg).toBe(false);
    }
    expect(existsSync(join(out, 'node_modules/bullmq'))).toBe(true);
  });

  it('contains no s3rver and no fast-xml-parser 3 anywhere, hoisted, nested or under a workspace', () => {
    const installed = [out, ...workspaces.map((w) => join(out, w))].flatMap((dir) => installedPackages(join(dir, 'node_modules')));
    expect(installed.length).toBeGreaterThan(50);
    expect(installed.filter(devOnly).map((p) => `${p.name}@${p.version} ${p.path.slice(out.length + 1)}`)).toEqual([]);
    // Why: the lock file the image installs from marks every copy of them as development-only.
    const lock = JSON.parse(readFileSync(join(out, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; dev?: boolean }> };
    const locked = Object.entries(lock.packages).filter(([path, entry]) => devOnly({ name: path.split('node_modules/').pop()!, version: entry.version ?? '', path }));
    expect(locked.length).toBeGreaterThan(0);
    for (const [path, entry] of locked) expect(entry.dev, path).toBe(true);
    // The same scan finds both in the development tree: it looks where npm puts them.
    expect(installedPackages(join(REPO, 'node_modules')).filter(devOnly).map((p) => p.name).sort()).toEqual(['fast-xml-parser', 's3rver']);
  });

  it('migrates, serves as a worker that the healthcheck finds ready, and drains on SIGTERM', async () => {
    const port = await freePort();
    // An S3 server and bucket of its own: a worker checks its bucket and credentials before it reports ready.
    const cluster = new TestCluster();
    await cluster.start();
    // A temporary directory of its own, as a container's /tmp is: the port file there is this worker's, never that of
    // another spine worker on this machine (which would answer the healthcheck before this one listens).
    const env = { ...process.env, ...cluster.env, WORKER_HEALTH_PORT: String(port), LOG_LEVEL: 'warn', TMPDIR: mkdtempSync(join(work, 'tmp-')) };
    // Throws unless the compiled migrate exits 0 (it finds libs/migrations/sql and each dataset's migrations relative
    // to their compiled modules); the worker's preflight then finds none of them pending.
    execFileSync(process.execPath, [join(out, 'libs/cli/dist/main.js'), 'db', 'migrate'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const worker: ChildProcess = spawn(process.execPath, [join(out, 'libs/cli/bin/spine.mjs'), 'worker', '--queues', 'fetch'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    try {
      let healthy = false;
      for (let i = 0; i < 100 && !healthy; i++) {
        const check = await run(process.execPath, [join(out, 'infra/docker/healthcheck.js'), 'worker'], { env }).then(() => true, () => false);
        if (check) healthy = true;
        else await new Promise((r) => setTimeout(r, 200));
      }
      expect(healthy).toBe(true);
    } finally {
      worker.kill('SIGTERM');
    }
    try {
      expect(await exited).toBe(0);
    } finally {
      await cluster.stop();
    }
  }, 60_000);

  it('migrates a new database with every migration of the repository, the datasets\' own found beside their compiled code', async () => {
    const database = await createRunDatabase('spine_runtime', { migrate: false });
    try {
      const { stdout } = await run(process.execPath, [join(out, 'libs/cli/dist/main.js'), 'db', 'migrate', '--json'], { env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' } });
      expect(JSON.parse(stdout)).toEqual({ applied: (await migrationFiles(migrationDirs())).map((f) => f.name) });
    } finally {
      await database.drop();
    }
  }, 60_000);
});
