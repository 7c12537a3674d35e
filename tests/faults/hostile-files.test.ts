import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINRA_HEADER } from '@spine/otc';
import { publicationDate } from '@spine/otc-synthetic';
import { useFaultStack } from './support/fault-stack.ts';
import { recordFault } from './support/reliability-report.ts';

const stack = useFaultStack();

/** Fridays of 2024 for the hostile files: one OTC week each, far from the dataset's weeks. */
const friday = (i: number) => new Date(Date.UTC(2024, 0, 5 + 7 * i)).toISOString().slice(0, 10);
const line = (week: string, symbol: string, mpid: string, shares: string | number = 1000, trades: string | number = 10, name = `${symbol} Inc`) =>
  `OTC|${symbol}|${name}|${mpid} ATS|${mpid}|${shares}|${trades}|${publicationDate('OTC', week)}`;
const file = (week: string, lines: string[], eol = '\n') => Buffer.from(`${FINRA_HEADER}${eol}${lines.map((l) => l + eol).join('')}`);

/** Each hostile file, as the bytes a source could hand the pipeline. */
const HOSTILE: { name: string; bytes: (week: string) => Buffer }[] = [
  { name: 'wrong header', bytes: (w) => Buffer.from(`Symbol|Venue|Shares\n${line(w, 'AAAA', 'ATSA')}\n${line(w, 'BBBB', 'ATSB')}\n`) },
  { name: 'empty file', bytes: () => Buffer.alloc(0) },
  { name: 'BOM and CRLF', bytes: (w) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), file(w, [line(w, 'AAAA', 'ATSA'), line(w, 'BBBB', 'ATSB')], '\r\n')]) },
  {
    name: 'non-UTF-8 bytes',
    bytes: (w) => Buffer.concat([file(w, [line(w, 'AAAA', 'ATSA')]), Buffer.from(`OTC|BBBB|B`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(` Inc|ATSB ATS|ATSB|1000|10|${publicationDate('OTC', w)}\n`)]),
  },
  { name: 'NUL bytes', bytes: (w) => file(w, [line(w, 'AAAA', 'ATSA'), line(w, 'BBBB', 'ATSB', 1000, 10, 'B\0B Inc'), `\0\0\0`]) },
  { name: 'a 10 MB line', bytes: (w) => file(w, [line(w, 'AAAA', 'ATSA'), line(w, 'BBBB', 'ATSB', 1000, 10, 'X'.repeat(10 * 1024 * 1024)), line(w, 'CCCC', 'ATSC')]) },
  { name: '20-digit numbers', bytes: (w) => file(w, [line(w, 'AAAA', 'ATSA'), line(w, 'BBBB', 'ATSB', '12345678901234567890'), line(w, 'CCCC', 'ATSC', 1000, '98765432109876543210')]) },
  { name: 'negative values', bytes: (w) => file(w, [line(w, 'AAAA', 'ATSA'), line(w, 'BBBB', 'ATSB', -1000), line(w, 'CCCC', 'ATSC', 1000, -10)]) },
  { name: 'duplicate keys', bytes: (w) => file(w, [line(w, 'AAAA', 'ATSA'), line(w, 'AAAA', 'ATSA', 2000, 20), line(w, 'BBBB', 'ATSB'), line(w, 'BBBB', 'ATSB')]) },
];

/** Data lines as the ingest stage counts them: every line after the header that is not blank. */
function dataLines(bytes: Buffer): number {
  return bytes.toString('latin1').split('\n').slice(1).filter((l) => l.trim() !== '').length;
}

describe('hostile files', () => {
  it('every line is accounted for (otc_raw + core_rejects = data lines) or the week fails clearly; no crash, no stuck batch', async () => {
    const dir = join(stack.fixturesDir, 'hostile');
    const cases = HOSTILE.map((h, i) => ({ ...h, week: friday(i), data: h.bytes(friday(i)) }));
    mkdirSync(join(dir, 'OTC'), { recursive: true });
    for (const c of cases) writeFileSync(join(dir, 'OTC', `${c.week}.psv`), c.data);
    const workers = [await stack.spawnWorker(), await stack.spawnWorker()];
    const started = Date.now();
    // One batch per file: a failed week then closes its own batch, and the others are independent of it.
    for (const c of cases) await stack.enqueue({ kind: 'manual', weeks: [{ tier: 'OTC', week_ending: c.week }], source: `dir:${dir}` });
    await stack.waitForBatchesClosed(120_000);
    const closedMs = Date.now() - started;

    const verdicts = [];
    for (const c of cases) {
      const count = async (table: string, where: string) => Number((await stack.pool.query(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, [c.week])).rows[0].n);
      const [raw, rejects] = [await count('otc_raw', `tier = 'OTC' AND week_ending = $1`), await count('core_rejects', `key_1 = 'OTC' AND period_end = $1`)];
      const { rows: [week] } = await stack.pool.query(
        `SELECT e.status, b.status AS batch_status, (SELECT error FROM core_executions f WHERE f.batch_id = e.batch_id AND f.status = 'failed' ORDER BY f.started_at DESC LIMIT 1) AS error
           FROM core_executions e JOIN core_batches b USING (batch_id) WHERE e.stage = 'week' AND e.key_1 = 'OTC' AND e.period_end = $1`,
        [c.week],
      );
      const expected = dataLines(c.data);
      const accounted = (week.status === 'completed' || week.status === 'gated') && raw + rejects === expected;
      // The week's final failure names the job that failed it (`ingest: [data] ...`, final-failure.ts).
      const clearFailure = week.status === 'failed' && /^(\w+: )?\[data\] [^\n]+$/.test(week.error ?? '');
      verdicts.push({ name: c.name, lines: expected, raw, rejects, status: week.status, batch: week.batch_status, error: week.error as string | null, ok: accounted || clearFailure });
    }
    const alive = workers.filter((w) => w.proc.exitCode === null && w.proc.signalCode === null).length;
    recordFault(stack.ctx.resultsFile, {
      scenario: '5d', fault: `hostile files: ${cases.map((c) => c.name).join(', ')}`, injected: cases.length,
      recovered: verdicts.filter((v) => v.ok).length, rowsLost: null, rowsDuplicated: null, recoverMs: closedMs,
      notes: verdicts.map((v) => `${v.name}: ${v.status === 'failed' ? `failed (${(v.error ?? '').slice(0, 90)})` : `${v.status}, ${v.raw} rows + ${v.rejects} rejects of ${v.lines} lines`}`).join('; ') +
        `; ${alive}/2 workers alive; time is until every batch closed`,
    });
    expect(alive).toBe(2);
    expect(verdicts.filter((v) => !v.ok)).toEqual([]);
    expect(verdicts.every((v) => v.batch !== 'running')).toBe(true);
    // The files must have been read as written (a sanity check on the fixtures themselves).
    expect(readFileSync(join(dir, 'OTC', `${cases[5]!.week}.psv`)).length).toBeGreaterThan(10 * 1024 * 1024);
  });
});
