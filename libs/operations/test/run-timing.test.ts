import { describe, expect, it } from 'vitest';
import { runTiming, stageDurationMs } from '../src/run-timing.ts';

const at = (seconds: number) => new Date(Date.UTC(2025, 11, 30, 12, 0, seconds));

describe('a run\'s processing time and queue wait', () => {
  it('takes a stage\'s duration from its own measure, not from its row\'s timestamps', () => {
    // finished_at is the commit, stamped with the transaction's start: 6 ms apart although the stage took 130.
    expect(stageDurationMs({ started_at: at(0), finished_at: new Date(at(0).getTime() + 6), metrics: { duration_ms: 130 } })).toBe(130);
    expect(stageDurationMs({ started_at: at(0), finished_at: at(2), metrics: {} })).toBe(2000);
    expect(stageDurationMs({ started_at: at(0), finished_at: null, metrics: {} })).toBeNull();
  });

  it('separates the stages\' work from the wait between the enqueueing and the last stage\'s end', () => {
    const timing = runTiming([
      { stage: 'week', status: 'completed', started_at: at(0), finished_at: at(20), metrics: {} },
      { stage: 'fetch', status: 'completed', started_at: at(5), finished_at: at(5), metrics: { duration_ms: 1000 } },
      { stage: 'ingest', status: 'completed', started_at: at(10), finished_at: at(10), metrics: { duration_ms: 2000 } },
    ], at(60));
    expect(timing).toEqual({ processing_ms: 3000, elapsed_ms: 12_000, queue_wait_ms: 9000 });
  });

  it('counts a run still going up to now, all of it waiting while no stage ran', () => {
    expect(runTiming([{ stage: 'week', status: 'running', started_at: at(0), finished_at: null, metrics: {} }], at(30)))
      .toEqual({ processing_ms: 0, elapsed_ms: 30_000, queue_wait_ms: 30_000 });
  });
});
