// There is no Docker engine on CI machines here, so infra/docker-compose.yml is checked structurally: it parses, every
// service has an image or a build whose Dockerfile exists, healthchecks exist where dependants wait for health,
// depends_on targets exist, and the application services get every environment variable the code reads.
// infra/docker/test checks the Dockerfile, and the image it builds (npm run test:image).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { cliEnvSchema as envSchema } from '@spine/cli/cli-env';
import { ENV_KEYS } from '../src/stack.ts';

const infraDir = fileURLToPath(new URL('../../../infra/', import.meta.url));
const composeFile = path.join(infraDir, 'docker-compose.yml');

interface Service {
  image?: string;
  pull_policy?: string;
  stop_grace_period?: string;
  volumes?: string[];
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  restart?: string;
  deploy?: { replicas?: number };
  healthcheck?: { test: string[] | string; interval?: string; start_period?: string };
  entrypoint?: string[];
  ports?: string[];
}

// `merge: true` resolves the `<<: *anchor` merge keys the file uses (Compose supports them too).
const composeText = readFileSync(composeFile, 'utf8');
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

// The variables the stack prints, plus where the FINRA API is.
const APP_ENV = [...ENV_KEYS, 'FINRA_BASE_URL'];
const APP_SERVICES = { migrate: ['db', 'migrate'], worker: ['worker'], scheduler: ['scheduler'], dashboard: ['dashboard'] };
const LONG_RUNNING = ['worker', 'scheduler', 'dashboard'] as const;
const { WORKER_SHUTDOWN_MS } = envSchema.parse({});

/** Compose durations as this file writes them (`40s`, `1m30s`) in milliseconds. */
function durationMs(value: string | undefined): number {
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(value ?? '');
  if (!value || !m) throw new Error(`not a duration: ${value}`);
  return (Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0)) * 1000;
}

function dependsOn(service: Service): Record<string, string> {
  const d = service.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, 'service_started'])) : Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v.condition]));
}

describe('infra/docker-compose.yml', () => {
  it('has the infrastructure and application services', () => {
    expect(Object.keys(services).sort()).toEqual(['dashboard', 'migrate', 'minio', 'minio-init', 'postgres', 'redis', 'scheduler', 'worker']);
    expect(services.postgres?.image).toMatch(/^postgres:15\.\d+/);
    expect(services.redis?.image).toMatch(/^redis:7\.\d+\.\d+/);
    expect(services.minio?.image).toMatch(/^minio\/minio/);
    expect(services['minio-init']?.image).toMatch(/^minio\/mc/);
  });

  it('pins every third-party image to a release, never latest', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build || service.pull_policy === 'never') continue;
      expect(service.image, name).toMatch(/^[\w./-]+:(\d+\.\d+[\w.-]*|RELEASE\.[\dTZ-]+)$/);
    }
  });

  it('gives every service an image or a build whose Dockerfile exists', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image ?? service.build, `${name} has neither image nor build`).toBeDefined();
      if (service.build) {
        const context = path.resolve(infraDir, service.build.context);
        expect(existsSync(path.join(context, service.build.dockerfile)), `${name}: ${service.build.dockerfile} in ${context}`).toBe(true);
        expect(existsSync(path.join(context, 'package-lock.json')), `${name}: build context is the repo root`).toBe(true);
      }
    }
  });

  it('has healthchecks on postgres, redis and minio', () => {
    expect(services.postgres?.healthcheck?.test).toBe('pg_isready -U spine -d spine');
    expect(services.redis?.healthcheck?.test).toBe('redis-cli ping');
    expect(services.minio?.healthcheck?.test).toBe('mc ready local');
  });

  // podman-compose 1.0.3 takes a list-form test apart in place, so the second replica of a service (or a second
  // service sharing the list through an anchor) fails with "unknown healthcheck test type".
  it('writes every healthcheck as a string, which Docker Compose and podman-compose both run through sh', () => {
    for (const [name, service] of Object.entries(services)) if (service.healthcheck) expect(typeof service.healthcheck.test, name).toBe('string');
  });

  // podman-compose 1.0.3 expands ${VAR} and ${VAR:-default} with a default; ${VAR:-} and ${VAR-} it passes through
  // literally, and ${VAR:?message} (like Docker Compose) fails every command, `down` included.
  it('interpolates only in the forms both tools expand the same way, and requires no variable for every command', () => {
    const uses = [...composeText.replace(/^\s*#.*$/gm, '').matchAll(/(?<!\$)\$\{[^}]*\}/g)].map((m) => m[0]);
    expect(uses.length).toBeGreaterThan(10);
    expect(uses.filter((use) => !/^\$\{[A-Z_][A-Z0-9_]*(:-[^}]+)?\}$/.test(use))).toEqual([]);
  });

  it("runs redis with BullMQ's production persistence on a volume", () => {
    const command = services.redis?.command as string[];
    const option = (name: string) => command[command.indexOf(`--${name}`) + 1];
    expect(command[0]).toBe('redis-server');
    expect([option('appendonly'), option('appendfsync'), option('maxmemory-policy')]).toEqual(['yes', 'everysec', 'noeviction']);
    expect(services.redis?.volumes).toContain('redis-data:/data');
  });

  it('only depends on services that exist, with health or completion conditions that can be met', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [target, condition] of Object.entries(dependsOn(service))) {
        const dep = services[target];
        expect(dep, `${name} depends on missing service ${target}`).toBeDefined();
        expect(['service_started', 'service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(dep?.healthcheck, `${name} waits for ${target} to be healthy`).toBeDefined();
        if (condition === 'service_completed_successfully') expect(dep?.restart, `${target} must be a one-shot`).toBe('no');
      }
    }
    expect(dependsOn(services['minio-init']!)).toEqual({ minio: 'service_healthy' });
    expect(dependsOn(services.migrate!)).toEqual({ postgres: 'service_healthy' });
    for (const name of ['worker', 'scheduler', 'dashboard']) {
      expect(dependsOn(services[name]!)).toEqual({
        migrate: 'service_completed_successfully',
        redis: 'service_healthy',
        'minio-init': 'service_completed_successfully',
      });
    }
  });

  it('builds the image once (migrate) and runs the spine CLI commands from it', () => {
    const built = Object.entries(services).filter(([, s]) => s.build).map(([n]) => n);
    expect(built).toEqual(['migrate']);
    expect(services.migrate?.build).toEqual({ context: '..', dockerfile: 'infra/docker/Dockerfile' });
    for (const [name, command] of Object.entries(APP_SERVICES)) {
      const service = services[name];
      expect(service?.image, name).toBe(services.migrate?.image);
      expect((service?.command as string[]).slice(0, command.length), name).toEqual(command);
      if (name !== 'migrate') expect(service?.pull_policy, `${name} must not pull the local image`).toBe('never');
    }
    expect(services.migrate?.image).toMatch(/^market-spine:/);
    expect(services.worker?.deploy?.replicas).toBe(2);
  });

  it('gives the worker longer than its shutdown deadline to drain before SIGKILL', () => {
    for (const name of LONG_RUNNING) expect(durationMs(services[name]?.stop_grace_period), name).toBeGreaterThan(WORKER_SHUTDOWN_MS);
  });

  it('checks each long-running role on its own readiness endpoint', () => {
    for (const name of LONG_RUNNING) {
      expect(services[name]?.healthcheck?.test, name).toBe(`node /app/infra/docker/healthcheck.js ${name}`);
      expect(services[name]?.healthcheck?.start_period, name).toBeDefined();
    }
  });

  it('passes the dashboard passwords and session secret from the shell or infra/.env (the dashboard refuses to start without a password)', () => {
    const env = services.dashboard?.environment ?? {};
    for (const key of ['DASHBOARD_ADMIN_PASSWORD', 'DASHBOARD_VIEWER_PASSWORD', 'DASHBOARD_SESSION_SECRET']) expect(env[key], key).toBe(`\${${key}}`);
  });

  // podman-compose starts every service at once, whatever depends_on says.
  it('lets the one-shots wait for the servers they need themselves', () => {
    expect(services.migrate?.command).toEqual(['db', 'migrate', '--wait', expect.stringMatching(/^[1-9]\d*$/)]);
    expect(services['minio-init']?.entrypoint).toEqual(['/bin/sh', '-c']);
    expect(String(services['minio-init']?.command)).toMatch(/^for i in \$\$\(seq \d+\); do mc alias set .* && break; sleep 1; done && mc mb /);
  });

  it('wires the same environment variable names as the local stack, pointing at the compose services', () => {
    for (const name of Object.keys(APP_SERVICES)) {
      const env = services[name]?.environment ?? {};
      for (const key of APP_ENV) expect(env, `${name} lacks ${key}`).toHaveProperty(key);
      expect(new URL(String(env.DATABASE_URL)).host).toBe('postgres:5432');
      expect(new URL(String(env.REDIS_URL)).host).toBe('redis:6379');
      expect(new URL(String(env.S3_ENDPOINT)).host).toBe('minio:9000');
    }
    const dashboard = services.dashboard?.environment ?? {};
    expect(dashboard).toHaveProperty('DASHBOARD_ADMIN_PASSWORD');
    expect(dashboard).toHaveProperty('DASHBOARD_VIEWER_PASSWORD');
    // The S3 credentials the apps use are MinIO's root user, and the DB credentials postgres's.
    const minioEnv = services.minio?.environment ?? {};
    expect(services.worker?.environment?.S3_ACCESS_KEY_ID).toBe(minioEnv.MINIO_ROOT_USER);
    expect(services.worker?.environment?.S3_SECRET_ACCESS_KEY).toBe(minioEnv.MINIO_ROOT_PASSWORD);
    const db = new URL(String(services.worker?.environment?.DATABASE_URL));
    expect([db.username, db.password, db.pathname]).toEqual([
      services.postgres?.environment?.POSTGRES_USER,
      services.postgres?.environment?.POSTGRES_PASSWORD,
      `/${services.postgres?.environment?.POSTGRES_DB}`,
    ]);
  });

  it('publishes host ports on loopback only and declares its named volumes', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['minio-data', 'postgres-data', 'redis-data']);
  });
});
