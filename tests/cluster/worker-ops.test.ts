import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { count } from '../support/tables.ts';
import { useTestCluster } from '../support/cluster.ts';

const { pool, cluster } = useTestCluster();

function healthPort(output: string): number {
  const match = /"healthPort":(\d+)/.exec(output);
  if (!match) throw new Error(`no health port in the worker log:\n${output}`);
  return Number(match[1]);
}

describe('worker operations', () => {
  it('serves /livez, /readyz and /metrics, and drains on SIGTERM', async () => {
    const worker = await cluster.spawnWorker(['--queues', 'fetch,stage', '--concurrency', '2']);
    const base = `http://127.0.0.1:${healthPort(worker.output())}`;
    expect((await fetch(`${base}/livez`)).status).toBe(200);
    expect(await (await fetch(`${base}/readyz`)).text()).toBe('ready\n');
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('spine_queue_jobs{queue="fetch",state="waiting"}');
    expect(metrics).toContain('# TYPE spine_stage_duration_seconds histogram');
    expect(metrics).not.toMatch(/week_ending|batch_id/);
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.output()).toContain('"msg":"draining: no new jobs, waiting for active ones"');
    expect(worker.output()).toContain('"msg":"worker stopped"');
  });

  it('rejects a bad --queues value with exit code 2', async () => {
    const bin = fileURLToPath(new URL('../../libs/cli/bin/spine.mjs', import.meta.url));
    const failure = await promisify(execFile)(process.execPath, [bin, 'worker', '--queues', 'fetch,bogus'], { env: { ...process.env, ...cluster.env } }).catch((e) => e);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toMatch(/--queues takes fetch, stage/);
  });

  it('spine backfill refuses an invalid range and enqueues nothing', async () => {
    const bin = fileURLToPath(new URL('../../libs/cli/bin/spine.mjs', import.meta.url));
    const run = (args: string[]) => promisify(execFile)(process.execPath, [bin, 'backfill', ...args], { env: { ...process.env, ...cluster.env } }).catch((e) => e);
    const before = await count(pool, 'SELECT 1 FROM core_batches');
    const reversed = await run(['--tier', 'all', '--from', '2025-12-12', '--to', '2025-11-28']);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toMatch(/--to 2025-11-28 is before --from 2025-12-12/);
    const thursday = await run(['--tier', 'T1', '--from', '2025-12-11', '--to', '2025-12-12']);
    expect(thursday.code).toBe(2);
    expect(thursday.stderr).toMatch(/2025-12-11 is a Thursday/);
    const source = await run(['--tier', 'OTC', '--from', '2025-12-12', '--to', '2025-12-12', '--source', 'ftp://x']);
    expect(source.code).toBe(2);
    const unpublished = await run(['--tier', 'OTC', '--venue-type', 'ATS', '--from', '2014-05-09', '--to', '2014-05-16']);
    expect(unpublished.code).toBe(2);
    expect(unpublished.stderr).toMatch(/--from 2014-05-09 is before FINRA's first ATS week, 2014-05-16/);
    const future = await run(['--tier', 'OTC', '--from', '2099-01-02', '--to', '2099-01-02']);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/--to 2099-01-02 is after today/);
    expect(await count(pool, 'SELECT 1 FROM core_batches')).toBe(before);
    const queues = cluster.queues(pool);
    const counts = await queues.fetchQueue.getJobCounts();
    await queues.close();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
