import { rm, readFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { aptInstall } from './apt.ts';
import { StackError, redactUrl } from './errors.ts';
import { isPortOpen, waitFor } from './port-probe.ts';
import { runCommand, tailFile, terminate, which, withLogTail } from './proc.ts';
import { foundDetail, type ServiceContext, type ServiceOutcome } from './service.ts';
import { nonEmpty } from './paths.ts';

export const DEFAULT_REDIS_PORT = 6379;

/** Connects, sends PING, expects PONG, disconnects. Rejects with the connection or command error. */
export async function pingRedis(url: string, timeoutMs = 3000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // Connection errors reject connect()/ping() below, which is where they are reported; this listener only keeps
  // ioredis from re-emitting them as an unhandled 'error' event.
  client.on('error', () => {});
  try {
    await client.connect();
    const reply = await client.ping();
    if (reply !== 'PONG') throw new Error(`unexpected PING reply ${JSON.stringify(reply)}`);
  } finally {
    client.disconnect();
  }
}

/** REDIS_URL if set (must answer PING), else 127.0.0.1:<port> if it answers PING, else start redis-server there. */
export async function ensureRedis(ctx: ServiceContext, port: number): Promise<ServiceOutcome & { url: string }> {
  const fromEnv = nonEmpty(ctx.env.REDIS_URL);
  if (fromEnv) {
    try {
      await pingRedis(fromEnv);
    } catch (err) {
      throw new StackError('redis', `REDIS_URL=${redactUrl(fromEnv)} does not answer PING`, { cause: err });
    }
    ctx.log(`redis: using REDIS_URL from the environment (${redactUrl(fromEnv)})`);
    return { service: 'redis', source: 'env', url: fromEnv, location: redactUrl(fromEnv), detail: 'from REDIS_URL' };
  }

  const url = `redis://127.0.0.1:${port}`;
  if (await isPortOpen('127.0.0.1', port)) {
    try {
      await pingRedis(url);
    } catch (err) {
      throw new StackError('redis', `something listens on 127.0.0.1:${port} but does not answer Redis PING; set REDIS_URL or free the port`, { cause: err });
    }
    const detail = await foundDetail(ctx, 'redis', url);
    ctx.log(`redis: found a server answering on 127.0.0.1:${port} (${detail})`);
    return { service: 'redis', source: 'found', url, location: url, detail };
  }

  try {
    return await startRedis(ctx, port, url);
  } catch (err) {
    throw err instanceof StackError ? err : new StackError('redis', `could not start redis-server on 127.0.0.1:${port}`, { cause: err });
  }
}

async function startRedis(ctx: ServiceContext, port: number, url: string): Promise<ServiceOutcome & { url: string }> {
  let binary = which('redis-server');
  if (!binary) {
    await aptInstall(['redis-server'], 'redis-server is not installed', ctx.install, 'set REDIS_URL to a running Redis');
    binary = which('redis-server');
    if (!binary) throw new StackError('redis', 'apt-get installed redis-server but no redis-server executable is on PATH');
    // Debian's package starts its own service where an init system allows it.
    if (await isPortOpen('127.0.0.1', port)) {
      await pingRedis(url);
      ctx.log(`redis: the redis-server package started its own service on 127.0.0.1:${port}; using it (not recorded for --down)`);
      return { service: 'redis', source: 'found', url, location: url, detail: 'started by the redis-server package' };
    }
  }

  await mkdir(ctx.stateDir, { recursive: true });
  const pidFile = path.join(ctx.stateDir, `redis-${port}.pid`);
  const logFile = path.join(ctx.stateDir, `redis-${port}.log`);
  await rm(pidFile, { force: true });
  const args = [
    '--bind', '127.0.0.1',
    '--port', String(port),
    '--save', '',
    '--appendonly', 'no',
    '--daemonize', 'yes',
    '--pidfile', pidFile,
    '--logfile', logFile,
    '--dir', ctx.stateDir,
  ];
  ctx.log(`redis: nothing on 127.0.0.1:${port}; starting ${binary} (no persistence, log ${logFile})`);
  await runCommand(binary, args);

  let pid: number;
  try {
    pid = await waitFor('redis-server to write its pidfile', () => readPid(pidFile), { timeoutMs: 5000, intervalMs: 50 });
  } catch (err) {
    throw new StackError('redis', withLogTail(`redis-server did not start on 127.0.0.1:${port}`, logFile, await tailFile(logFile)), { cause: err });
  }
  await ctx.state.add({
    service: 'redis',
    description: `redis-server on 127.0.0.1:${port}`,
    url,
    pid,
    match: 'redis-server',
    startedAt: new Date().toISOString(),
  });
  try {
    await waitFor(`Redis PING on 127.0.0.1:${port}`, () => pingRedis(url, 1000), { timeoutMs: 10_000 });
  } catch (err) {
    await terminate(pid);
    await ctx.state.remove(pid);
    throw new StackError('redis', withLogTail(`redis-server (pid ${pid}) never answered PING; stopped it`, logFile, await tailFile(logFile)), { cause: err });
  }
  ctx.log(`redis: started redis-server on 127.0.0.1:${port} (pid ${pid})`);
  return { service: 'redis', source: 'started', url, location: url, detail: `pid ${pid}, log ${logFile}` };
}

async function readPid(file: string): Promise<number> {
  const pid = Number((await readFile(file, 'utf8')).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} does not hold a pid yet`);
  return pid;
}
