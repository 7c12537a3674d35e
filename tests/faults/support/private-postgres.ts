import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@spine/local-stack';
import { withPgClient } from '@spine/local-stack/postgres';
import { isRoot, runCommand, tailFile } from '@spine/local-stack/proc';
import { waitFor } from '@spine/local-stack/port-probe';

const PG_BIN = process.env.FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL cluster of the fault suite's own (initdb in a temp directory, a free loopback port), so the suite can
 * stop, restart and starve it without touching the machine's shared server on 5432. initdb and postgres refuse to
 * run as root, so as root they run as the `postgres` system user (runuser), owning the data directory.
 */
export class PrivatePostgres {
  readonly dir: string;
  readonly dataDir: string;
  readonly logFile: string;
  port = 0;

  /** Without arguments a new cluster (init() creates it); with them, a handle on one the global setup started. */
  constructor(existing?: { dir: string; port: number }) {
    this.dir = existing?.dir ?? mkdtempSync(join(tmpdir(), 'spine-faults-pg-'));
    this.port = existing?.port ?? 0;
    this.dataDir = join(this.dir, 'data');
    this.logFile = join(this.dir, 'postgres.log');
  }

  adminUrl(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async init(): Promise<void> {
    this.port = await findFreePort();
    if (isRoot()) chownSync(this.dir, ...this.postgresOwner());
    await this.run(`${PG_BIN}/initdb`, ['-D', this.dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
    // Loopback TCP only (no Unix socket to collide with the shared server); fsync off because durability of this
    // throwaway cluster is not under test, and on a shared 2-core machine it only slows restarts.
    await appendFile(join(this.dataDir, 'postgresql.conf'), [
      '', "listen_addresses = '127.0.0.1'", "unix_socket_directories = ''", `port = ${this.port}`, 'fsync = off',
      'synchronous_commit = off', 'full_page_writes = off', 'max_connections = 200', '',
    ].join('\n'));
    await this.start();
  }

  async start(): Promise<void> {
    await this.run(`${PG_BIN}/pg_ctl`, ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '60', 'start']);
    await waitFor(`private PostgreSQL on ${this.port}`, () => withPgClient(this.adminUrl(), async () => {}), { timeoutMs: 30_000, intervalMs: 100 });
  }

  /** `fast` rolls back open transactions and ends every connection, which is what clients see on a restart. */
  async stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await this.run(`${PG_BIN}/pg_ctl`, ['-D', this.dataDir, '-m', mode, '-w', '-t', '60', 'stop']);
  }

  async running(): Promise<boolean> {
    return existsSync(join(this.dataDir, 'postmaster.pid'));
  }

  async createDatabase(name: string, template?: string): Promise<string> {
    await withPgClient(this.adminUrl(), (c) => c.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`));
    return this.adminUrl(name);
  }

  async dropDatabase(name: string): Promise<void> {
    await withPgClient(this.adminUrl(), (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  }

  async destroy(): Promise<void> {
    if (await this.running()) await this.stop('immediate').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private postgresOwner(): [number, number] {
    // The uid/gid of the postgres system user, which the PostgreSQL packages create.
    const line = /^postgres:[^:]*:(\d+):(\d+):/m.exec(readPasswd());
    if (!line) throw new Error('running as root needs a `postgres` system user to own the private cluster');
    return [Number(line[1]), Number(line[2])];
  }

  private async run(file: string, args: string[]): Promise<void> {
    try {
      await (isRoot() ? runCommand('runuser', ['-u', 'postgres', '--', file, ...args]) : runCommand(file, args));
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${await tailFile(this.logFile)}`, { cause: error });
    }
  }
}

function readPasswd(): string {
  return readFileSync('/etc/passwd', 'utf8');
}
