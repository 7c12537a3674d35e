import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '@spine/local-stack';
import { pingRedis } from '@spine/local-stack/redis';
import { waitFor } from '@spine/local-stack/port-probe';
import { pidAlive, runCommand, terminate, waitForExit } from '@spine/local-stack/proc';

/**
 * A redis-server of the fault suite's own, on a free loopback port with the append-only file on (as the compose
 * file runs it), so the suite can restart it, kill it and FLUSHALL it without touching the shared Redis on 6379.
 */
export class PrivateRedis {
  readonly dir: string;
  port = 0;
  private pid = 0;

  /** Without arguments a new server (start() starts it); with them, a handle on the one the global setup started. */
  constructor(existing?: { dir: string; port: number }) {
    this.dir = existing?.dir ?? mkdtempSync(join(tmpdir(), 'spine-faults-redis-'));
    this.port = existing?.port ?? 0;
    if (existing) this.pid = Number(readFileSync(join(this.dir, 'redis.pid'), 'utf8').trim());
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port ||= await findFreePort();
    const pidFile = join(this.dir, 'redis.pid');
    rmSync(pidFile, { force: true });
    await runCommand('redis-server', [
      '--bind', '127.0.0.1', '--port', String(this.port), '--dir', this.dir, '--save', '',
      '--appendonly', 'yes', '--appendfsync', 'everysec', '--daemonize', 'yes', '--pidfile', pidFile,
      '--logfile', join(this.dir, 'redis.log'),
    ]);
    this.pid = await waitFor('the private redis-server pidfile', async () => {
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      if (!pid) throw new Error('no pid yet');
      return pid;
    }, { timeoutMs: 10_000, intervalMs: 50 });
    // While it loads the AOF, Redis answers LOADING; PING succeeds only once the data set is back.
    await waitFor(`private Redis on ${this.port}`, () => pingRedis(this.url, 1000), { timeoutMs: 30_000, intervalMs: 100 });
  }

  /** SIGTERM: Redis flushes and fsyncs the append-only file, then exits (a clean restart). */
  async stop(): Promise<void> {
    this.pid = this.pidFromFile() ?? this.pid;
    if (this.pid && pidAlive(this.pid)) await terminate(this.pid, 15_000);
  }

  /** SIGKILL: whatever the last second of AOF writes held may be gone, as on a crash. */
  async kill(): Promise<void> {
    this.pid = this.pidFromFile() ?? this.pid;
    if (!this.pid || !pidAlive(this.pid)) return;
    process.kill(this.pid, 'SIGKILL');
    await waitForExit(this.pid, 5000);
  }

  /**
   * The running server's pid as its pidfile says: another handle on the same directory (a test's FaultStack) may have
   * restarted it since this one last looked, and the global teardown must stop that server, not the first one.
   */
  private pidFromFile(): number | undefined {
    try {
      return Number(readFileSync(join(this.dir, 'redis.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
