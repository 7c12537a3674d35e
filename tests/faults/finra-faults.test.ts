import { appendFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runWeek } from '@spine/otc';
import { publicationDate } from '@spine/otc-synthetic';
import { useFaultStack } from './support/fault-stack.ts';
import { allWeeks, FAULT_MAX_REJECT_SHARE, fetchFinraWeeks } from './support/fault-dataset.ts';
import { outcome } from './support/outcome.ts';
import { diffTables } from './support/table-diff.ts';
import { recordFault } from './support/reliability-report.ts';

// 64 KiB pages: each week comes in short pages (below the row limit), every fetch. The stand-in needs no
// throttling: 200 requests a second (FINRA's own limit is 20) keeps the ~500 short pages from setting the pace.
const stack = useFaultStack({ maxPayloadBytes: 64 * 1024, env: { FINRA_REQUESTS_PER_SECOND: '200' } });
beforeEach(() => {
  stack.standIn.faults.clear();
  stack.standIn.clearRequests();
});

const TRANSIENT = [
  { fault: { kind: '429' as const, retryAfterSeconds: 1 }, match: { tier: 'OTC', weekEnding: '2025-10-31' } },
  { fault: { kind: '500' as const }, match: { tier: 'OTC', weekEnding: '2025-11-07' } },
  { fault: { kind: '500' as const }, match: { tier: 'OTC', weekEnding: '2025-11-07' } },
  // FINRA_TIMEOUT_MS is 3 s in the stack: a 5 s answer is a timeout.
  { fault: { kind: 'slow' as const, delayMs: 5000 }, match: { tier: 'NMS_TIER_1', weekEnding: '2025-11-14' } },
  { fault: { kind: 'truncated' as const }, match: { tier: 'NMS_TIER_2', weekEnding: '2025-11-21' } },
  { fault: { kind: 'miscount' as const, delta: 2 }, match: { tier: 'NMS_TIER_1', weekEnding: '2025-11-28' } },
];

describe('the FINRA API (stand-in)', () => {
  it('answering 429 with Retry-After, 500s, a timeout, a truncated body, a wrong Record-Total and short pages: every week loads once', async () => {
    for (const f of TRANSIENT) stack.standIn.faults.push(f.fault, f.match);
    await stack.spawnWorker();
    await stack.spawnWorker();
    const started = Date.now();
    await stack.enqueue({ kind: 'backfill', weeks: allWeeks(), source: 'finra' });
    await stack.waitForBatchesClosed(180_000);
    const result = await outcome(stack.pool, stack.reference);
    const log = stack.standIn.requests().filter((r) => r.path.includes('/data/'));
    const served = log.filter((r) => r.fault).map((r) => r.fault!);
    const short = log.filter((r) => !r.fault && r.status === 200 && (r.rows ?? 0) > 0 && (r.rows ?? 0) < (r.limit ?? 0)).length;
    recordFault(stack.ctx.resultsFile, {
      scenario: '5a', fault: 'FINRA 429 + Retry-After, 500 x2, timeout, truncated body, Record-Total off by 2; every page short (maxPayloadBytes 64 KiB)',
      injected: served.length, recovered: result.open.length === 0 && result.batches.every((b) => b === 'completed') ? served.length : 0,
      rowsLost: result.lost, rowsDuplicated: result.duplicated, recoverMs: Date.now() - started,
      notes: `faults served: ${served.join(', ')}; ${short} short pages; time is the whole 18-week backfill; half-written rows ${result.halfWritten}`,
    });
    expect(served.sort()).toEqual(TRANSIENT.map((f) => f.fault.kind).sort());
    expect(short).toBeGreaterThan(18);
    expect(result).toEqual({ lost: 0, duplicated: 0, halfWritten: 0, open: [], batches: ['completed'] });

    // A revision: FINRA republishes a week with one more row. The week is fetched again, stored as revision 2 (a new
    // capture; the first stays), and the tables match an in-process run of both versions, as the FINRA client writes
    // them (the reference's dataset is in that form already; the new row lands in FINRA's sort order, not at the end).
    appendFileSync(join(stack.fixturesDir, 'OTC', '2025-12-05.psv'), `OTC|NEWCO|New Co Inc|OTC Link|OTCX|5000|5|${publicationDate('OTC', '2025-12-05')}\n`);
    const revisedDir = mkdtempSync(join(stack.ctx.workDir, 'revised-'));
    await fetchFinraWeeks({ ...stack.env, FINRA_REQUESTS_PER_SECOND: '1000' }, revisedDir, [{ tier: 'OTC', week_ending: '2025-12-05' }]);
    const revisedFile = join(revisedDir, 'OTC', '2025-12-05.psv');
    const expected = await stack.cloneReference(`${stack.database}_rev`);
    try {
      await runWeek(expected, { tier: 'OTC', weekEnding: '2025-12-05', file: revisedFile, maxRejectShare: FAULT_MAX_REJECT_SHARE });
      const revisedAt = Date.now();
      await stack.enqueue({ kind: 'manual', weeks: [{ tier: 'OTC', week_ending: '2025-12-05' }], source: 'finra' });
      await stack.waitForBatchesClosed(60_000);
      const diff = await diffTables(stack.pool, expected);
      const { rows: files } = await stack.pool.query(`SELECT revision FROM core_raw_files WHERE key_1 = 'OTC' AND period_end = '2025-12-05' ORDER BY revision`);
      recordFault(stack.ctx.resultsFile, {
        scenario: '5b', fault: 'FINRA revision: a published week republished with one more row', injected: 1,
        recovered: files.length === 2 ? 1 : 0, rowsLost: diff.lost, rowsDuplicated: diff.duplicated, recoverMs: Date.now() - revisedAt,
        notes: `raw file revisions ${files.map((f) => f.revision).join(', ')}; compared with an in-process run of both versions`,
      });
      expect(files).toEqual([{ revision: 1 }, { revision: 2 }]);
      expect({ lost: diff.lost, duplicated: diff.duplicated }).toEqual({ lost: 0, duplicated: 0 });
    } finally {
      await expected.end();
      await stack.postgres.dropDatabase(`${stack.database}_rev`);
    }
  });

  it('answering rows of another grain or another week: the week fails at once with a [data] error and stores nothing', async () => {
    stack.standIn.faults.set({ kind: 'wrong-grain' }, { tier: 'OTC', weekEnding: '2025-11-28' });
    await stack.spawnWorker();
    const grain = await stack.enqueue({ kind: 'manual', weeks: [{ tier: 'OTC', week_ending: '2025-11-28' }], source: 'finra' });
    await stack.waitForBatchesClosed(60_000);
    stack.standIn.faults.set({ kind: 'wrong-week' }, { tier: 'NMS_TIER_2', weekEnding: '2025-11-28' });
    const week = await stack.enqueue({ kind: 'manual', weeks: [{ tier: 'NMS_TIER_2', week_ending: '2025-11-28' }], source: 'finra' });
    await stack.waitForBatchesClosed(60_000);
    const { rows } = await stack.pool.query(
      `SELECT b.batch_id, b.status, e.error FROM core_batches b JOIN core_executions e ON e.batch_id = b.batch_id AND e.stage = 'fetch' ORDER BY b.created_at`,
    );
    const stored = Number((await stack.pool.query(`SELECT (SELECT count(*) FROM core_raw_files) + (SELECT count(*) FROM otc_raw) AS n`)).rows[0].n);
    recordFault(stack.ctx.resultsFile, {
      scenario: '5c', fault: 'FINRA answer of another grain (wrong-grain), of another week (wrong-week)', injected: 2,
      recovered: rows.filter((r) => r.status === 'failed' && /^\[data\] /.test(r.error)).length, rowsLost: null, rowsDuplicated: null, recoverMs: null,
      notes: `expected: a clear failure, not a load; ${rows.length} fetch attempt(s) (not retried); rows and raw files stored: ${stored}`,
    });
    expect(rows.map((r) => [r.batch_id, r.status])).toEqual([[grain.batch_id, 'failed'], [week.batch_id, 'failed']]);
    for (const r of rows) expect(r.error).toMatch(/^\[data\] [^\n]+$/);
    expect(stored).toBe(0);
  });
});
