// infra/docker-compose.yml as podman-compose (Debian's, 1.0.3) reads it: the podman commands its dry run prints, with
// none of the variables set that a user may leave unset. Docker Compose is not on this machine (only the docker
// client, without the compose plugin); dev/local-stack/test/compose.test.ts checks the file's structure for both tools.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { podman } from './containers.ts';

const COMPOSE_FILE = fileURLToPath(new URL('../../../docker-compose.yml', import.meta.url));
// A project of its own: the dry run still creates the project's network and volumes, removed afterwards.
const PROJECT = `spine-compose-check-${process.pid}`;
const UNSET = ['DASHBOARD_ADMIN_PASSWORD', 'DASHBOARD_VIEWER_PASSWORD', 'DASHBOARD_SESSION_SECRET', 'FINRA_TOKEN_URL', 'FINRA_CLIENT_ID', 'FINRA_CLIENT_SECRET', 'S3_BUCKET'];

async function podmanCompose(args: string[]): Promise<{ code: number; output: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !UNSET.includes(key)));
  try {
    const { stdout, stderr } = await promisify(execFile)('podman-compose', ['--dry-run', '-p', PROJECT, '-f', COMPOSE_FILE, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: `${e.stdout}${e.stderr}` };
  }
}

afterAll(async () => {
  await podman(['network', 'rm', '--force', `${PROJECT}_default`]);
  for (const volume of ['postgres-data', 'redis-data', 'minio-data']) await podman(['volume', 'rm', '--force', `${PROJECT}_${volume}`]);
});

describe('infra/docker-compose.yml under podman-compose', () => {
  it('creates every container, both workers with their healthcheck, every variable expanded', async () => {
    const { code, output } = await podmanCompose(['up']);
    expect(code, output).toBe(0);
    const creates = output.split('\n').filter((line) => line.startsWith('podman create '));
    const names = creates.map((line) => /--name=(\S+)/.exec(line)?.[1]);
    expect(names.sort()).toEqual(['dashboard_1', 'migrate_1', 'minio-init_1', 'minio_1', 'postgres_1', 'redis_1', 'scheduler_1', 'worker_1', 'worker_2'].map((n) => `${PROJECT}_${n}`));
    for (const line of creates) expect(line).not.toMatch(/\$\{/);
    const workers = creates.filter((line) => line.includes('--network-alias worker '));
    expect(workers).toHaveLength(2);
    for (const line of workers) expect(line).toContain(`--healthcheck-command /bin/sh -c 'node /app/infra/docker/healthcheck.js worker'`);
    expect(creates.find((line) => line.includes(`--name=${PROJECT}_dashboard_1`))).toContain('-e DASHBOARD_ADMIN_PASSWORD= ');
    expect(creates.find((line) => line.includes(`--name=${PROJECT}_migrate_1`))).toMatch(/ db migrate --wait \d+$/);
  });

  it('takes everything down without the dashboard secrets', async () => {
    const { code, output } = await podmanCompose(['down', '-t', '40']);
    expect(code, output).toBe(0);
    expect(output).toContain(`podman stop -t 40 ${PROJECT}_worker_1`);
  });
});
