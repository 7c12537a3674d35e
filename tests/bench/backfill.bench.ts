/**
 * bench:backfill [--shape nms|otc]: 52 weeks (BENCH_WEEKS) x 3 tiers x both venue types (BENCH_VENUE_TYPES) of
 * 40,000 rows a week (BENCH_ROWS) in the given shape, through the real worker cluster, with 1 and then 2 worker
 * processes (BENCH_WORKERS); then the orchestration overhead of one week-flow, measured with no-op stages. Week
 * files come from a directory source so the figures measure the cluster (S3 upload, stages, PostgreSQL), not a
 * remote API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents, Worker, FlowProducer } from 'bullmq';
import { addWeeks } from '@spine/platform';
import { TIERS, VENUE_TYPES, type Tier, type VenueType } from '@spine/otc';
import { writeWeekFile } from '@spine/otc-synthetic/week-generator';
import { createRedis, expandWeeks, QUEUES, weekFlow, topJobId, type WeekJobData } from '@spine/orchestration';
import { startBenchCluster, startBenchS3 } from './bench-cluster.ts';
import { benchShape, SHAPES } from './bench-shape.ts';
import { describeCpu, sampleCpu } from './machine-cpu.ts';
import { availableParallelism } from 'node:os';
import { datasets } from '@spine/datasets';

const SHAPE = benchShape();
const WEEKS = Number(process.env.BENCH_WEEKS ?? 52);
const ROWS = Number(process.env.BENCH_ROWS ?? 40_000);
const LAST = '2025-12-12';
const FIRST = addWeeks(LAST, -(WEEKS - 1));
/** Flows measured, after WARMUP_FLOWS that load BullMQ's scripts into Redis and warm the JIT, as a running cluster is. */
const OVERHEAD_FLOWS = 200;
const WARMUP_FLOWS = 20;
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const work = await mkdtemp(join(tmpdir(), 'spine-bench-backfill-'));
const fixtures = join(work, 'weeks');
// Both of FINRA's weekly summaries of every week and tier (BENCH_VENUE_TYPES narrows it, e.g. to ATS).
const VENUES = (process.env.BENCH_VENUE_TYPES ?? VENUE_TYPES.join(',')).split(',') as VenueType[];
// The week generator takes OTC's own key types, which these are.
const weeks = expandWeeks([...TIERS], FIRST, LAST, VENUES) as { tier: Tier; venue_type: VenueType; week_ending: string }[];
let generated = 0;
const genStart = performance.now();
for (const w of weeks) {
  const file = w.venue_type === 'NON_ATS' ? join(fixtures, w.tier, 'NON_ATS', `${w.week_ending}.psv`) : join(fixtures, w.tier, `${w.week_ending}.psv`);
  await writeWeekFile(file, { tier: w.tier, weekEnding: w.week_ending, rows: ROWS, seed: w.venue_type === 'NON_ATS' ? 53 : 52, rejectRate: 0.001,
    venueType: w.venue_type, universe: SHAPES[SHAPE] });
  generated += ROWS;
}
console.log(`bench:backfill --shape ${SHAPE} — ${weeks.length} week files (${WEEKS} weeks x 3 tiers x ${VENUES.join('+')}, ${ROWS.toLocaleString('en-US')} rows each), ` +
  `${generated.toLocaleString('en-US')} rows, generated in ${((performance.now() - genStart) / 1000).toFixed(1)} s`);

const s3 = await startBenchS3(work);

async function runCluster(workerCount: number): Promise<void> {
  const cluster = await startBenchCluster(`backfill${workerCount}`, { s3Port: s3.port, fixtures, workers: workerCount });
  try {
    const cpuBefore = await sampleCpu();
    const { seconds, progress } = await cluster.runBatch(weeks);
    const cpuAfter = await sampleCpu();
    const { rows } = await cluster.pool.query<{ rows: string }>(`SELECT count(*) AS rows FROM otc_raw`);
    console.log(`${workerCount} worker process(es): ${progress.weeks_done}/${progress.weeks_total} weeks in ${seconds.toFixed(1)} s, ` +
      `${Number(rows[0]!.rows).toLocaleString('en-US')} rows, ${Math.round(Number(rows[0]!.rows) / seconds).toLocaleString('en-US')} rows/s end to end` +
      (progress.weeks_failed ? `, ${progress.weeks_failed} FAILED: ${JSON.stringify(progress.failures.slice(0, 2))}` : ''));
    console.log(`  ${describeCpu(cpuBefore, cpuAfter, availableParallelism(), Number(rows[0]!.rows))}`);
  } finally {
    await cluster.stop();
  }
}

/** Week flows whose stages do nothing: what BullMQ's flow mechanics cost per week, end to end, one at a time. */
async function flowOverhead(): Promise<void> {
  const prefix = `bench-noop-${process.pid}`;
  const connection = createRedis(redisUrl);
  const noop = async () => ({ capture_id: 'noop', gated: false, rows: 0 });
  const workers = Object.values(QUEUES).map((name) => new Worker(name, noop, { connection: createRedis(redisUrl), prefix, concurrency: 4 }));
  const events = new QueueEvents(QUEUES.stage, { connection: createRedis(redisUrl), prefix });
  await events.waitUntilReady();
  const flows = new FlowProducer({ connection, prefix });
  const latencies: number[] = [];
  for (let i = 0; i < WARMUP_FLOWS + OVERHEAD_FLOWS; i++) {
    const data: WeekJobData = {
      batch_id: `noop-${i}`, correlation_id: 'noop', week_execution_id: '00000000-0000-4000-8000-000000000000', tier: 'OTC', venue_type: 'ATS',
      week_ending: addWeeks(LAST, -i), source: 'dir:/nowhere', force: false, max_reject_share: 0.05, last_stage: 'snapshot',
    };
    const started = performance.now();
    const flow = await flows.add(weekFlow(datasets.first, data, { fetch: { attempts: 1, backoffMs: 0 }, stage: { attempts: 1, backoffMs: 0 } }));
    if (flow.job.id !== topJobId(datasets.first, data)) throw new Error(`the flow's top job is ${flow.job.id}, expected ${topJobId(datasets.first, data)}`);
    await flow.job.waitUntilFinished(events, 10_000);
    if (i >= WARMUP_FLOWS) latencies.push(performance.now() - started);
  }
  latencies.sort((a, b) => a - b);
  const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
  console.log(`week-flow orchestration overhead (6 no-op jobs, ${OVERHEAD_FLOWS} flows one at a time after ${WARMUP_FLOWS} to warm up): mean ${mean.toFixed(1)} ms, ` +
    `p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(1)} ms, p95 ${latencies[Math.floor(latencies.length * 0.95)]!.toFixed(1)} ms (target <= 10 ms)`);
  await Promise.all(workers.map((w) => w.close()));
  await events.close();
  await flows.close();
  for (const name of Object.values(QUEUES)) {
    const q = new Queue(name, { connection, prefix });
    await q.obliterate({ force: true });
    await q.close();
  }
  await connection.quit();
}

try {
  await flowOverhead();
  for (const count of WORKER_COUNTS) await runCluster(count);
} finally {
  await s3.close();
  await rm(work, { recursive: true, force: true });
}
process.exit(0);
