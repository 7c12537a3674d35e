import { readFile } from 'node:fs/promises';

/** Jiffies of the whole machine from /proc/stat (Linux): busy (user, nice, system, irq, softirq, steal) and total. */
export interface CpuSample {
  busy: number;
  total: number;
}

export async function sampleCpu(): Promise<CpuSample | undefined> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => undefined);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 8) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as [number, number, number, number, number, number, number, number];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/**
 * How much of the machine a run used, between two samples: busy cores on average (of `cores`) and CPU time per row.
 * Every process on the machine counts (PostgreSQL, Redis, the S3 server, the workers): that is the budget a
 * rows-per-second target is spent from.
 */
export function describeCpu(before: CpuSample | undefined, after: CpuSample | undefined, cores: number, rows: number): string {
  if (!before || !after || after.total <= before.total) return 'machine CPU: not measurable here (no /proc/stat)';
  const busyShare = (after.busy - before.busy) / (after.total - before.total);
  const busyCores = busyShare * cores;
  const seconds = (after.total - before.total) / cores / CLOCK_TICKS_PER_SECOND;
  const microsPerRow = (busyCores * seconds * 1e6) / rows;
  return `machine CPU busy ${busyCores.toFixed(2)} of ${cores} cores, ${microsPerRow.toFixed(1)} µs of CPU per row ` +
    `(100,000 rows/s on ${cores} cores leaves ${((cores * 1e6) / 100_000).toFixed(0)} µs per row)`;
}

// USER_HZ: 100 on every Linux architecture Node supports.
const CLOCK_TICKS_PER_SECOND = 100;
