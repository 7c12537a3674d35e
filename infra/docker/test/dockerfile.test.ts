// infra/docker/Dockerfile and the files around it, read as text: `npm run test:image` builds and runs the image;
// these hold the properties a build does not show by failing (cache order, pins, ignore rules, what CI runs on).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workspaceDirs } from '../assemble-runtime.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const read = (file: string) => readFileSync(path.join(REPO, file), 'utf8');
const dockerfile = read('infra/docker/Dockerfile');
// Continuation lines joined, comments dropped: one instruction per entry.
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() && !line.startsWith('#'));
const stage = (name: string) => {
  const start = instructions.findIndex((i) => new RegExp(`^FROM \\S+ AS ${name}$`).test(i));
  const end = instructions.findIndex((i, n) => n > start && i.startsWith('FROM '));
  return instructions.slice(start, end === -1 ? undefined : end);
};
const nodeImage = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-bookworm-slim@sha256:[0-9a-f]{64}$/m.exec(dockerfile);

describe('infra/docker/Dockerfile', () => {
  it('pins the base image of both stages by digest, on a supported Node LTS that CI tests on', () => {
    expect(nodeImage, 'ARG NODE_IMAGE=node:x.y.z-bookworm-slim@sha256:<digest>').not.toBeNull();
    expect(['22', '24']).toContain(nodeImage![1]);
    expect(read('.ci/run')).toContain(`node@${nodeImage!.slice(1, 4).join('.')}`);
    const froms = instructions.filter((i) => i.startsWith('FROM ')).map((i) => /^FROM (\S+) AS (\w+)$/.exec(i)?.slice(1));
    expect(froms).toEqual([
      ['${NODE_IMAGE}', 'build'],
      ['${NODE_IMAGE}', 'runtime'],
    ]);
  });

  it('pins tini to a Debian version', () => {
    expect(stage('runtime').join('\n')).toMatch(/apt-get install -y --no-install-recommends tini=\d[\w.+~-]*( |$)/m);
  });

  it('has no `# syntax=` line, which makes BuildKit fetch a frontend image on every build', () => {
    expect(dockerfile).not.toMatch(/^#\s*syntax\s*=/im);
  });

  it('copies only the manifests and the lock file before each install, so a change to the code reuses both', () => {
    const build = stage('build');
    const installs = build.map((i, n) => (/\bnpm ci\b/.test(i) ? n : -1)).filter((n) => n >= 0);
    expect(installs).toHaveLength(2);
    const copies = build.slice(0, installs[1]).filter((i) => i.startsWith('COPY ')).map((i) => i.split(/\s+/).slice(1));
    const manifests = ['package.json', 'package-lock.json', ...workspaceDirs(REPO).map((dir) => `${dir}/package.json`)];
    // Every workspace manifest (npm ci refuses a lock file whose workspaces are missing), each in its own directory.
    expect(copies.flatMap((c) => c.slice(0, -1)).sort()).toEqual([...manifests, 'infra/docker/assemble-runtime.ts'].sort());
    for (const c of copies) for (const file of c.slice(0, -1)) expect(c.at(-1), file).toBe(file.includes('/') ? `${path.dirname(file)}/` : './');
    expect(build.findIndex((i) => /^COPY \. \.$/.test(i))).toBeGreaterThan(installs[1]!);
  });

  it('compiles in the build stage and installs the runtime tree without development or optional packages', () => {
    const build = stage('build').join('\n');
    expect(build).toMatch(/node infra\/docker\/assemble-runtime\.ts --manifests \/runtime/);
    expect(build).toMatch(/npm run -s build && node dist\/infra\/docker\/assemble-runtime\.js --code \/runtime/);
    // typescript and @types/* reach the production tree as optional peers, which npm counts as optional.
    expect(build).toMatch(/npm ci --omit=dev --omit=optional --ignore-scripts/);
    expect(stage('runtime')).toContain('COPY --from=build /runtime /app');
    expect(dockerfile).not.toMatch(/tsx|npx/);
  });

  it('reads a build machine\'s CA bundle in the build stage only', () => {
    expect(stage('build')).toContain('ARG NODE_EXTRA_CA_CERTS');
    expect(stage('runtime').join('\n')).not.toMatch(/CA_CERTS|cafile/i);
  });

  it('runs node on the compiled CLI under tini as a numeric non-root user, with a healthcheck', () => {
    const runtime = stage('runtime');
    expect(runtime).toContain('ENTRYPOINT ["/usr/bin/tini", "--", "node", "/app/libs/cli/dist/main.js"]');
    expect(runtime.filter((i) => i.startsWith('USER ')).map((i) => i.slice(5))).toEqual([expect.stringMatching(/^[1-9]\d*:[1-9]\d*$/)]);
    expect(runtime.find((i) => i.startsWith('HEALTHCHECK '))).toMatch(/ CMD \["node", "\/app\/infra\/docker\/healthcheck\.js"\]$/);
  });
});

describe('the build context', () => {
  const ignore = read('infra/docker/Dockerfile.dockerignore');

  it('leaves out node_modules, local state, secrets, tests, fixtures and the development-only workspaces\' code', () => {
    const entries = ignore.split('\n');
    for (const entry of ['**/node_modules', '.git', '.stack', '.env', 'infra/.env', 'tests', 'fixtures', '**/test', 'dev/*/src']) expect(entries).toContain(entry);
  });

  it('has the same rules at the root, for tools that do not read <Dockerfile>.dockerignore', () => {
    expect(read('.dockerignore')).toBe(ignore);
  });

  it('keeps the secrets file the compose file names out of git', () => {
    const ignored = read('.gitignore').split('\n');
    expect(ignored).toContain('.env');
    expect(ignored).toContain('infra/.env');
  });
});
