import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl, testPool, resetData } from '../support/database.ts';
import { count } from '../support/tables.ts';
import { goldenWeeks } from '../support/golden.ts';

const run = promisify(execFile);
const SPINE = fileURLToPath(new URL('../../libs/cli/bin/spine.mjs', import.meta.url));
const BAD_FORMAT = fileURLToPath(new URL('../../fixtures/bad/not-finra.csv', import.meta.url));

async function spine(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SPINE, ...args], { env: { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn', ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('spine CLI', () => {
  const pool = testPool();
  beforeAll(() => resetData(pool));
  afterAll(() => pool.end());
  const good = goldenWeeks()[0]!;

  it.each([
    ['a date that is not a Friday', ['--tier', good.tier, '--week', '2025-10-30', '--file', good.file], /2025-10-30 is a Thursday/],
    ['an unknown tier', ['--tier', 'TIER_9', '--week', good.weekEnding, '--file', good.file], /unknown tier "TIER_9"/],
    ['a missing file', ['--tier', good.tier, '--week', good.weekEnding, '--file', '/nonexistent/week.psv'], /cannot read file \/nonexistent\/week.psv/],
    ['a file of another format', ['--tier', good.tier, '--week', good.weekEnding, '--file', BAD_FORMAT], /is not a FINRA OTC weekly file/],
    ['a missing option', ['--tier', good.tier, '--week', good.weekEnding], /required option '--file <path>'/],
    ['a bad gate share', ['--tier', good.tier, '--week', good.weekEnding, '--file', good.file, '--max-reject-share', '7'], /from 0 to 1/],
  ])('rejects %s with one line, exit code 2, and writes nothing', async (_name, args, message) => {
    const result = await spine(['run-week', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')[0]).toMatch(/^error: /);
    expect(await count(pool, 'SELECT 1 FROM core_batches')).toBe(0);
    expect(await count(pool, 'SELECT 1 FROM core_executions')).toBe(0);
  });

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../libs/cli/package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await spine([flag])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('lists the datasets it serves, with their partition keys and stages, and refuses a dataset it does not know', async () => {
    const listed = await spine(['datasets', '--json']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({
      name: 'otc', period: 'week',
      keys: [{ field: 'tier', values: ['NMS_TIER_1', 'NMS_TIER_2', 'OTC'] }, { field: 'venue_type', values: ['ATS', 'NON_ATS'] }],
      stages: ['fetch', 'ingest', 'normalize', 'aggregate', 'rolling', 'snapshot'].map((name) => expect.objectContaining({ name })),
    }), expect.objectContaining({
      name: 'regsho', period: 'trading_day',
      keys: [{ field: 'market_code', values: ['N', 'Q', 'B', 'D', 'O'] }],
      stages: ['fetch', 'ingest'].map((name) => expect.objectContaining({ name })),
    })]);
    const unknown = await spine(['status', '--dataset', 'nope']);
    expect(unknown).toMatchObject({ code: 2, stderr: 'error: unknown dataset "nope": use one of otc, regsho\n' });
  });

  it('names the valid values when it refuses one', async () => {
    const result = await spine(['status', '--tier', 'FOO']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('error: unknown tier "FOO": use one of NMS_TIER_1, NMS_TIER_2, OTC');
  });

  it('answers a failure in JSON under --json: one line with its kind, message and exit code', async () => {
    const input = await spine(['status', '--tier', 'FOO', '--json']);
    expect(input.code).toBe(2);
    expect(input.stdout).toBe('');
    expect(JSON.parse(input.stderr)).toEqual({ error: { kind: 'input', message: 'unknown tier "FOO": use one of NMS_TIER_1, NMS_TIER_2, OTC', exit_code: 2 } });
    const config = await spine(['status', '--json'], { DATABASE_URL: 'mysql://nope' });
    expect(config.code).toBe(2);
    expect(JSON.parse(config.stderr).error).toMatchObject({ kind: 'configuration', exit_code: 2, problems: [expect.stringMatching(/^DATABASE_URL: must be a URL/)] });
    const failure = await spine(['lineage', 'x', '--json'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' });
    expect(failure.code).toBe(1);
    expect(JSON.parse(failure.stderr).error).toMatchObject({ kind: 'failure', exit_code: 1, message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('reports invalid configuration per variable without running', async () => {
    const result = await spine(['status'], { DATABASE_URL: 'mysql://nope', LOG_LEVEL: 'chatty' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/DATABASE_URL: must be a URL/);
    expect(result.stderr).toMatch(/LOG_LEVEL:/);
  });

  it('runs a week, then shows it in status and lineage, as text and JSON', async () => {
    const ran = await spine(['run-week', '--tier', good.tier, '--week', good.weekEnding, '--file', good.file, '--max-reject-share', '0.5', '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    const result = JSON.parse(ran.stdout);
    expect(result.status).toBe('completed');
    expect(result.stages.map((s: { stage: string }) => s.stage)).toEqual(['ingest', 'normalize', 'aggregate', 'rolling', 'snapshot']);

    const status = JSON.parse((await spine(['status', '--json'])).stdout);
    expect(status[0]).toMatchObject({ week_ending: good.weekEnding, tier: good.tier });
    expect(status[0].stages.snapshot.status).toBe('completed');
    const text = await spine(['status']);
    expect(text.stdout).toContain(`completed, ${status[0].stages.ingest.row_count} rows`);

    const lineage = await spine(['lineage', result.batchId]);
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toMatch(/week \[completed\]/);
    expect(lineage.stdout).toMatch(/└─ snapshot \[completed\]/);
    expect((await spine(['lineage', 'no-such-batch'])).code).toBe(2);
  });
});
