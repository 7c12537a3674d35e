import { renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where a long-running role (`worker`, `scheduler`, `dashboard`) says which port it listens on:
 * `<tmpdir>/spine-<role>.port`, holding the port number. The image's healthcheck, a separate process in the same
 * container, reads it (infra/docker/healthcheck.ts), so it asks the port the process actually bound, whether that
 * came from the environment, from --port / --health-port or from port 0.
 */
export function portFilePath(role: string, dir = tmpdir()): string {
  return join(dir, `spine-${role}.port`);
}

/** Writes the role's port file; by a rename, so a healthcheck never reads half of it. */
export function writePortFile(role: string, port: number, dir = tmpdir()): string {
  const path = portFilePath(role, dir);
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${port}\n`);
  renameSync(partial, path);
  return path;
}
