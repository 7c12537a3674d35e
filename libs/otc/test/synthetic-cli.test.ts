import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { FINRA_HEADER } from '../src/file-format.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'spine-generate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function generate(...args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'fixtures/generate.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('fixtures/generate.ts', () => {
  it('writes <out>/<TIER>/<week_ending>.psv for consecutive weeks', () => {
    const out = join(tmp, 'dir');
    const run = generate('--tier', 'nms tier 2', '--week', '2025-12-05', '--rows', '300', '--seed', '9', '--weeks', '2', '--out', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(readdirSync(join(out, 'NMS_TIER_2')).sort()).toEqual(['2025-11-28.psv', '2025-12-05.psv']);
    const lines = readFileSync(join(out, 'NMS_TIER_2', '2025-12-05.psv'), 'utf8').split('\n');
    expect(lines[0]).toBe(FINRA_HEADER);
    expect(lines).toHaveLength(302);
    expect(run.stdout).toMatch(/2025-12-05\.psv {2}rows=300 .*sha256=[0-9a-f]{64}/);
  }, 30_000);

  it('writes a single .psv file', () => {
    const file = join(tmp, 'one.psv');
    const run = generate('--tier', 'OTC', '--week', '2025-12-05', '--rows', '50', '--out', file);
    expect(run.status).toBe(0);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(52);
  }, 30_000);

  it.each([
    [['--tier', 'XYZ', '--week', '2025-12-05', '--rows', '10'], /unknown tier "XYZ"/],
    [['--tier', 'OTC', '--week', '2025-12-04', '--rows', '10'], /must be a Friday/],
    [['--tier', 'OTC', '--week', '2025-12-05', '--rows', 'ten'], /--rows must be an integer/],
    [['--tier', 'OTC', '--week', '2025-12-05'], /--rows is required/],
    [['--tier', 'OTC', '--week', '2025-12-05', '--rows', '10', '--reject-rate', 'lots'], /--reject-rate must be a number/],
    [['--tier', 'OTC', '--week', '2025-12-05', '--rows', '10', '--colour'], /Unknown option '--colour'/],
  ])('bad input %j: one line on stderr, exit 2, nothing written', (args, message) => {
    const out = join(tmp, `bad-${Math.random().toString(36).slice(2)}`);
    const run = generate(...args, '--out', out);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  }, 30_000);
});
