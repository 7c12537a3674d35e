// There is no Docker engine on CI machines here, so infra/docker-compose.yml is checked structurally: it parses, every
// service has an image or a build whose Dockerfile exists, healthchecks exist where dependants wait for health,
// depends_on targets exist, and the application services get every environment variable the code reads.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ENV_KEYS } from '../src/stack.ts';

const infraDir = fileURLToPath(new URL('../../', import.meta.url));
const composeFile = path.join(infraDir, 'docker-compose.yml');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] | string };
  restart?: string;
  deploy?: { replicas?: number };
  ports?: string[];
}

// `merge: true` resolves the `<<: *anchor` merge keys the file uses (Compose supports them too).
const compose = parse(readFileSync(composeFile, 'utf8'), { merge: true }) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services;

// The variables the stack prints, plus where the FINRA API is.
const APP_ENV = [...ENV_KEYS, 'FINRA_BASE_URL'];
const APP_SERVICES = { migrate: ['db', 'migrate'], worker: ['worker'], scheduler: ['scheduler'], dashboard: ['dashboard'] };

function dependsOn(service: Service): Record<string, string> {
  const d = service.depends_on ?? {};
  return Array.isArray(d) ? Object.fromEntries(d.map((n) => [n, 'service_started'])) : Object.fromEntries(Object.entries(d).map(([n, v]) => [n, v.condition]));
}

describe('infra/docker-compose.yml', () => {
  it('has the infrastructure and application services', () => {
    expect(Object.keys(services).sort()).toEqual(['dashboard', 'migrate', 'minio', 'minio-init', 'postgres', 'redis', 'scheduler', 'worker']);
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.redis?.image).toMatch(/^redis:7/);
    expect(services.minio?.image).toMatch(/^minio\/minio/);
    expect(services['minio-init']?.image).toMatch(/^minio\/mc/);
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
    expect(services.postgres?.healthcheck?.test).toEqual(['CMD-SHELL', 'pg_isready -U spine -d spine']);
    expect(services.redis?.healthcheck?.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(services.minio?.healthcheck?.test).toBeDefined();
  });

  it('runs redis without persistence', () => {
    expect(services.redis?.command).toEqual(['redis-server', '--save', '', '--appendonly', 'no']);
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

  it('builds the application services from infra/docker/Dockerfile and runs the spine CLI commands', () => {
    for (const [name, command] of Object.entries(APP_SERVICES)) {
      const service = services[name];
      expect(service?.build, name).toEqual({ context: '..', dockerfile: 'infra/docker/Dockerfile' });
      expect(service?.image, name).toBe('market-spine:local');
      expect(service?.command, name).toEqual(command);
    }
    expect(services.worker?.deploy?.replicas).toBe(2);
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
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['minio-data', 'postgres-data']);
  });
});

describe('infra/docker/Dockerfile', () => {
  const dockerfile = readFileSync(path.join(infraDir, 'docker', 'Dockerfile'), 'utf8');

  it('installs with npm ci on node:20-bookworm-slim and runs the spine CLI', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/^RUN [^\n]*(\\\n[^\n]*)*npm ci --omit=dev$/m);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["npx", "--no", "spine"\]$/m);
    expect(dockerfile).toMatch(/^USER node$/m);
  });

  it('has an ignore file next to it that keeps node_modules and local state out of the context', () => {
    const ignore = readFileSync(path.join(infraDir, 'docker', 'Dockerfile.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', '.git', '.stack']) expect(ignore).toContain(entry);
  });
});
