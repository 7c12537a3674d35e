/** An execution as the timing needs it. */
export interface TimedExecution {
  stage: string;
  status: string;
  started_at: Date;
  finished_at: Date | null;
  metrics: Record<string, unknown>;
}

export interface RunTiming {
  /** Time the stages spent working, by their own clocks. */
  processing_ms: number;
  /** From the run's start (its enqueueing) to the end of its last stage, or to now while it runs. */
  elapsed_ms: number;
  /** What is left: waiting in the queues for a worker, for the stage before, or for the backfill's other weeks. */
  queue_wait_ms: number;
}

/** Executions that group others (a week, a batch) rather than do work. */
const GROUPS = new Set(['week', 'batch']);

/**
 * A stage's own duration: what it measured (metrics.duration_ms). Its finished_at is the commit of its transaction
 * and its started_at precedes its queue wait for locks, so their difference is not what the stage took.
 */
export function stageDurationMs(execution: Pick<TimedExecution, 'started_at' | 'finished_at' | 'metrics'>): number | null {
  const measured = execution.metrics.duration_ms;
  if (typeof measured === 'number') return measured;
  return execution.finished_at ? execution.finished_at.getTime() - execution.started_at.getTime() : null;
}

/**
 * The processing time and queue wait of one partition's run: its group execution (the week, started when the run
 * was enqueued) and the stage executions that worked on it.
 */
export function runTiming(executions: TimedExecution[], now: Date): RunTiming {
  const stages = executions.filter((e) => !GROUPS.has(e.stage));
  const processing = stages.reduce((sum, e) => sum + (stageDurationMs(e) ?? 0), 0);
  const start = Math.min(...executions.map((e) => e.started_at.getTime()));
  const running = executions.some((e) => e.status === 'running');
  const ends = stages.map((e) => e.started_at.getTime() + (stageDurationMs(e) ?? 0));
  const end = running || ends.length === 0 ? now.getTime() : Math.max(...ends);
  const elapsed = Number.isFinite(start) ? Math.max(0, end - start) : 0;
  return { processing_ms: processing, elapsed_ms: elapsed, queue_wait_ms: Math.max(0, elapsed - processing) };
}
