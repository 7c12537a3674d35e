import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { runMigrations } from '@spine/platform/db/migrate';
import { migrationDirs } from '@spine/datasets';
import { aptInstall } from './apt.ts';
import { StackError, redactUrl } from './errors.ts';
import { nonEmpty } from './paths.ts';
import { isPortOpen, waitFor } from './port-probe.ts';
import { isRoot, runCommand, tailFile, terminate, which, withLogTail } from './proc.ts';
import { foundDetail, type ServiceContext, type ServiceOutcome } from './service.ts';

export const DEFAULT_PG_PORT = 5432;
export const DEFAULT_DATABASE = 'spine';
const HBA_MARKER = 'market-spine npm run stack';

/** Connects with node-postgres, runs fn, always closes. */
export async function withPgClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  // A server-side disconnect also rejects the pending connect()/query(), which is where it is reported; the
  // listener only stops node-postgres from raising it a second time as an unhandled 'error' event.
  client.on('error', () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`${redactUrl(url)} names no database (expected .../<database>)`);
  return name;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;
const pgCode = (err: unknown) => (err as { code?: unknown }).code;

/**
 * Connects to the database in url; when it does not exist (3D000) connects to the `postgres` database with the same
 * credentials and creates it. Returns whether it was created.
 */
export async function ensureDatabase(url: string): Promise<boolean> {
  const name = databaseName(url);
  try {
    await withPgClient(url, async () => {});
    return false;
  } catch (err) {
    if (pgCode(err) !== '3D000') throw err;
  }
  await withPgClient(withDatabase(url, 'postgres'), async (client) => {
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (err) {
      if (pgCode(err) !== '42P04') throw err; // created concurrently by someone else: fine
    }
  });
  return true;
}

/**
 * DATABASE_URL if set, else postgres://postgres@127.0.0.1:<port>/spine when something answers there, else starts
 * PostgreSQL (installing it with apt-get as root when missing). Then creates the database and applies migrations.
 */
export async function ensurePostgres(
  ctx: ServiceContext,
  port: number,
  options: { migrate: boolean },
): Promise<ServiceOutcome & { url: string }> {
  let outcome: ServiceOutcome & { url: string };
  const fromEnv = nonEmpty(ctx.env.DATABASE_URL);
  if (fromEnv) {
    let protocol: string;
    try {
      protocol = new URL(fromEnv).protocol;
    } catch (err) {
      throw new StackError('postgres', 'DATABASE_URL is not a URL', { cause: err });
    }
    if (protocol !== 'postgres:' && protocol !== 'postgresql:') {
      throw new StackError('postgres', `DATABASE_URL must start with postgres:// or postgresql:// (got ${protocol}//)`);
    }
    ctx.log(`postgres: using DATABASE_URL from the environment (${redactUrl(fromEnv)})`);
    outcome = { service: 'postgres', source: 'env', url: fromEnv, location: redactUrl(fromEnv), detail: 'from DATABASE_URL' };
  } else {
    const url = `postgres://postgres@127.0.0.1:${port}/${DEFAULT_DATABASE}`;
    if (await isPortOpen('127.0.0.1', port)) {
      const detail = await foundDetail(ctx, 'postgres', url);
      ctx.log(`postgres: found a server on 127.0.0.1:${port} (${detail})`);
      outcome = { service: 'postgres', source: 'found', url, location: url, detail };
    } else {
      try {
        outcome = await startPostgres(ctx, port, url);
      } catch (err) {
        throw err instanceof StackError ? err : new StackError('postgres', `could not start PostgreSQL on 127.0.0.1:${port}`, { cause: err });
      }
    }
  }

  const where = outcome.location;
  let created: boolean;
  try {
    created = await ensureDatabase(outcome.url);
  } catch (err) {
    const hint = outcome.source === 'env' ? '' : '; if it needs a password, set DATABASE_URL';
    throw new StackError('postgres', `could not connect to or create the database at ${where}${hint}`, { cause: err });
  }
  ctx.log(`postgres: database ${databaseName(outcome.url)} ${created ? 'created' : 'exists'}`);

  if (options.migrate) {
    try {
      const { applied } = await runMigrations({ databaseUrl: outcome.url, dirs: migrationDirs() });
      ctx.log(applied.length ? `postgres: applied ${applied.length} migration(s): ${applied.join(', ')}` : 'postgres: migrations already up to date');
    } catch (err) {
      throw new StackError('postgres', `applying migrations from ${migrationDirs().join(', ')} to ${where} failed`, { cause: err });
    }
  }
  return outcome;
}

/** Installed server versions under /usr/lib/postgresql (Debian layout), newest first. */
async function installedVersions(): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir('/usr/lib/postgresql');
  } catch {
    return [];
  }
  return entries.filter((v) => existsSync(`/usr/lib/postgresql/${v}/bin/postgres`)).sort((a, b) => Number(b) - Number(a));
}

async function startPostgres(ctx: ServiceContext, port: number, url: string): Promise<ServiceOutcome & { url: string }> {
  const root = isRoot();
  let versions = await installedVersions();
  if (versions.length === 0 || (root && !which('pg_ctlcluster'))) {
    await aptInstall(['postgresql'], 'PostgreSQL is not installed', ctx.install, 'set DATABASE_URL to a running PostgreSQL');
    versions = await installedVersions();
    if (versions.length === 0) throw new StackError('postgres', 'apt-get installed postgresql but no /usr/lib/postgresql/<version>/bin/postgres exists');
    // Debian's postinst creates and starts cluster "main" on 5432 where an init system allows it.
    if (await isPortOpen('127.0.0.1', port)) {
      ctx.log(`postgres: the postgresql package started its own cluster on 127.0.0.1:${port}; using it (not recorded for --down)`);
      return { service: 'postgres', source: 'found', url, location: url, detail: 'started by the postgresql package' };
    }
  }
  const version = versions[0] as string;
  return root ? startDebianCluster(ctx, port, url, version) : startPrivateCluster(ctx, port, url, version);
}

interface Cluster {
  version: string;
  name: string;
  port: number;
  status: string;
  dataDir: string;
  logFile: string;
}

async function listClusters(): Promise<Cluster[]> {
  const { stdout } = await runCommand('pg_lsclusters', ['--no-header']);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((f) => f.length >= 6)
    .map(([version, name, port, status, , dataDir, logFile]) => ({
      version: version as string,
      name: name as string,
      port: Number(port),
      status: status as string,
      dataDir: dataDir as string,
      logFile: logFile ?? '',
    }));
}

/** As root: start the Debian cluster configured for `port` (creating one with pg_createcluster if none is). */
async function startDebianCluster(ctx: ServiceContext, port: number, url: string, version: string): Promise<ServiceOutcome & { url: string }> {
  let cluster = (await listClusters()).find((c) => c.port === port);
  if (!cluster) {
    const clusters = await listClusters();
    const name = clusters.some((c) => c.version === version && c.name === 'main') ? 'spine' : 'main';
    ctx.log(`postgres: no cluster is configured for port ${port}; creating ${version}/${name} with pg_createcluster`);
    await runCommand('pg_createcluster', [version, name, '--port', String(port)], { output: 'stderr' });
    cluster = (await listClusters()).find((c) => c.version === version && c.name === name);
    if (!cluster) throw new StackError('postgres', `pg_createcluster ${version} ${name} succeeded but pg_lsclusters does not list it`);
  }
  const id = `${cluster.version}/${cluster.name}`;
  if (cluster.status.startsWith('online')) {
    throw new StackError(
      'postgres',
      `cluster ${id} is online for port ${port} but refuses TCP connections on 127.0.0.1; check listen_addresses in /etc/postgresql/${id}/postgresql.conf`,
    );
  }
  await allowLoopbackTrust(ctx, `/etc/postgresql/${id}/pg_hba.conf`);
  const pgctl = ['--skip-systemctl-redirect', cluster.version, cluster.name];
  ctx.log(`postgres: nothing on 127.0.0.1:${port}; starting cluster ${id} with pg_ctlcluster (log ${cluster.logFile})`);
  try {
    await runCommand('pg_ctlcluster', [...pgctl, 'start']);
  } catch (err) {
    throw new StackError('postgres', withLogTail(`pg_ctlcluster could not start cluster ${id}`, cluster.logFile, await tailFile(cluster.logFile)), { cause: err });
  }
  const pid = await postmasterPid(cluster.dataDir);
  await ctx.state.add({
    service: 'postgres',
    description: `PostgreSQL cluster ${id} on 127.0.0.1:${port}`,
    url,
    pid,
    match: 'postgres',
    stopCommand: ['pg_ctlcluster', ...pgctl, 'stop'],
    startedAt: new Date().toISOString(),
  });
  await waitUntilAccepting(ctx, url, pid, cluster.logFile);
  ctx.log(`postgres: started cluster ${id} on 127.0.0.1:${port} (pid ${pid})`);
  return { service: 'postgres', source: 'started', url, location: url, detail: `cluster ${id}, pid ${pid}` };
}

/**
 * Makes `postgres://postgres@127.0.0.1` work without a password on a cluster this command starts: prepends two
 * marked `host ... postgres <loopback> trust` lines to its pg_hba.conf (loopback only, user postgres only). Done once;
 * delete the marked lines to undo.
 */
async function allowLoopbackTrust(ctx: ServiceContext, hbaFile: string): Promise<void> {
  let current: string;
  try {
    current = await readFile(hbaFile, 'utf8');
  } catch (err) {
    throw new StackError('postgres', `could not read ${hbaFile}`, { cause: err });
  }
  if (current.includes(HBA_MARKER)) return;
  const lines = [
    `# Added by ${HBA_MARKER}: user postgres may log in over loopback TCP without a password`,
    '# (DATABASE_URL=postgres://postgres@127.0.0.1:<port>/spine). Delete these 4 lines to undo.',
    'host    all    postgres    127.0.0.1/32    trust',
    'host    all    postgres    ::1/128         trust',
  ];
  await writeFile(hbaFile, `${lines.join('\n')}\n${current}`);
  ctx.log(`postgres: allowed passwordless loopback TCP logins for user postgres in ${hbaFile} (marked lines at the top)`);
}

/**
 * Not root: a private cluster owned by the current user under <stateDir>/postgres (initdb -U postgres -A trust),
 * listening on 127.0.0.1 only, Unix sockets off.
 */
async function startPrivateCluster(ctx: ServiceContext, port: number, url: string, version: string): Promise<ServiceOutcome & { url: string }> {
  const bin = `/usr/lib/postgresql/${version}/bin`;
  const dataDir = path.join(ctx.stateDir, 'postgres');
  const logFile = path.join(ctx.stateDir, 'postgres.log');
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    ctx.log(`postgres: creating a private cluster in ${dataDir} (initdb, user postgres, trust auth, loopback only)`);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await runCommand(`${bin}/initdb`, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8']);
    await appendFile(
      path.join(dataDir, 'postgresql.conf'),
      `\n# ${HBA_MARKER}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n`,
    );
  }
  ctx.log(`postgres: nothing on 127.0.0.1:${port}; starting the private cluster in ${dataDir} with pg_ctl (log ${logFile})`);
  try {
    await runCommand(`${bin}/pg_ctl`, ['-D', dataDir, '-l', logFile, '-o', `-p ${port}`, '-w', '-t', '30', 'start']);
  } catch (err) {
    throw new StackError('postgres', withLogTail(`pg_ctl could not start ${dataDir}`, logFile, await tailFile(logFile)), { cause: err });
  }
  const pid = await postmasterPid(dataDir);
  await ctx.state.add({
    service: 'postgres',
    description: `PostgreSQL (private cluster ${dataDir}) on 127.0.0.1:${port}`,
    url,
    pid,
    match: 'postgres',
    stopCommand: [`${bin}/pg_ctl`, '-D', dataDir, '-m', 'fast', '-w', 'stop'],
    startedAt: new Date().toISOString(),
  });
  await waitUntilAccepting(ctx, url, pid, logFile);
  ctx.log(`postgres: started the private cluster on 127.0.0.1:${port} (pid ${pid})`);
  return { service: 'postgres', source: 'started', url, location: url, detail: `private cluster ${dataDir}, pid ${pid}` };
}

async function postmasterPid(dataDir: string): Promise<number> {
  const file = path.join(dataDir, 'postmaster.pid');
  return waitFor(
    `${file}`,
    async () => {
      const pid = Number((await readFile(file, 'utf8')).split('\n')[0]);
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} holds no pid`);
      return pid;
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );
}

async function waitUntilAccepting(ctx: ServiceContext, url: string, pid: number, logFile: string): Promise<void> {
  try {
    await waitFor(`PostgreSQL to accept connections at ${url}`, () => withPgClient(withDatabase(url, 'postgres'), async () => {}), {
      timeoutMs: 30_000,
      intervalMs: 250,
    });
  } catch (err) {
    await terminate(pid);
    await ctx.state.remove(pid);
    throw new StackError('postgres', withLogTail(`PostgreSQL (pid ${pid}) never accepted connections; stopped it`, logFile, await tailFile(logFile)), { cause: err });
  }
}
