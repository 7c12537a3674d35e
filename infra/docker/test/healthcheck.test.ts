import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { portFilePath, writePortFile } from '@spine/platform/http/port-file';
import { healthUrl, roleFromArgv } from '../healthcheck.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function containerTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'healthcheck-'));
  dirs.push(dir);
  return dir;
}

describe('healthcheck', () => {
  it('finds the role in the container command line', () => {
    expect(roleFromArgv(['/usr/bin/tini', '--', 'node', '/app/libs/cli/dist/main.js', 'worker', '--queues', 'fetch'])).toBe('worker');
    expect(roleFromArgv(['/usr/bin/tini', '--', 'node', '/app/libs/cli/dist/main.js', 'db', 'migrate'])).toBeUndefined();
  });

  it('asks the port the process wrote to its port file, over the environment\'s', () => {
    const dir = containerTmp();
    writePortFile('worker', 19466, dir);
    writePortFile('dashboard', 8080, dir);
    expect(healthUrl('worker', { WORKER_HEALTH_PORT: '9464' }, dir)).toBe('http://127.0.0.1:19466/readyz');
    expect(healthUrl('dashboard', {}, dir)).toBe('http://127.0.0.1:8080/readyz');
    // A process started with port 0 writes the port it got; the environment's 0 says nothing.
    writePortFile('scheduler', 40123, dir);
    expect(healthUrl('scheduler', { SCHEDULER_HEALTH_PORT: '0' }, dir)).toBe('http://127.0.0.1:40123/readyz');
  });

  it("asks each role's own port from the same variables the apps read until the process has written its file", () => {
    const dir = containerTmp();
    expect(healthUrl('worker', {}, dir)).toBe('http://127.0.0.1:9464/readyz');
    expect(healthUrl('scheduler', { SCHEDULER_HEALTH_PORT: '9999' }, dir)).toBe('http://127.0.0.1:9999/readyz');
    expect(healthUrl('dashboard', { DASHBOARD_PORT: '' }, dir)).toBe('http://127.0.0.1:3000/readyz');
    expect(() => healthUrl('worker', { WORKER_HEALTH_PORT: 'x' }, dir)).toThrow();
  });

  it('refuses a port file that holds no port', () => {
    const dir = containerTmp();
    writeFileSync(portFilePath('worker', dir), 'soon\n');
    expect(() => healthUrl('worker', {}, dir)).toThrow(/spine-worker\.port holds no port: "soon"/);
  });
});
