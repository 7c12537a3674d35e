// Processes started before PostgreSQL is up, as podman-compose starts them (it ignores depends_on conditions) and as
// any supervisor may: `db migrate --wait` waits for the server itself; a long-running command whose start fails exits,
// so its supervisor (a restart policy) starts it again, instead of staying alive doing nothing.
import { spawn } from 'node:child_process';
import { createConnection, createServer, type Server } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunDatabase, type RunDatabase } from '../support/global-setup.ts';
import { freePort } from '../support/cluster.ts';
import { runSpine, SPINE_BIN } from '../support/spine-cli.ts';

const databases: RunDatabase[] = [];
const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) server.close();
  for (const database of databases) await database.drop();
});

/** From `port` on, a TCP forwarder to PostgreSQL's own port: PostgreSQL "coming up" there. */
function forwardToPostgres(port: number, target: URL): Promise<void> {
  const server = createServer((client) => {
    const upstream = createConnection(Number(target.port || 5432), target.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  servers.push(server);
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

describe('commands started while PostgreSQL is down', () => {
  it('db migrate --wait waits for PostgreSQL to accept connections, then migrates', async () => {
    const database = await createRunDatabase('spine_wait', { migrate: false });
    databases.push(database);
    const port = await freePort();
    const url = new URL(database.url);
    const viaPort = new URL(database.url);
    viaPort.host = `127.0.0.1:${port}`;
    setTimeout(() => void forwardToPostgres(port, url), 2000);
    const started = Date.now();
    const result = await runSpine(['db', 'migrate', '--wait', '30'], { DATABASE_URL: viaPort.toString() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^applied \d+ migration\(s\):/);
    expect(Date.now() - started).toBeGreaterThan(2000);
  });

  it('db migrate --wait gives up after its time with the connection error, exit 1', async () => {
    const result = await runSpine(['db', 'migrate', '--wait', '2'], { DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere` });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: PostgreSQL did not accept connections within 2 s: connect ECONNREFUSED/);
  });

  it('db migrate --wait refuses a value that is not a number of seconds, exit 2', async () => {
    const result = await runSpine(['db', 'migrate', '--wait', 'soon'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('error: --wait must be a whole number of seconds, 0 or more, got "soon"\n');
  });

  it('a worker whose start fails exits 1 with the error, instead of living on without working', async () => {
    const env = { ...process.env, DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`, WORKER_HEALTH_PORT: '0', QUEUE_PREFIX: `startup-failure-${process.pid}`, LOG_LEVEL: 'warn' };
    const worker = spawn(process.execPath, [SPINE_BIN, 'worker'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    worker.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        worker.kill('SIGKILL');
        resolve(null);
      }, 20_000);
      worker.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/^error: .*ECONNREFUSED/m);
  });
});
