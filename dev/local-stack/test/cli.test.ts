// The CLI's argument handling (no servers involved): --help, and one clear line + exit 2 for bad flags.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: repoRoot, encoding: 'utf8' });

describe('npm run stack CLI flags', () => {
  it('prints usage for --help', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--down');
    expect(r.stdout).toContain('--json');
  });

  it('rejects an unknown flag with one line and exit 2', () => {
    const r = run('--dwon');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(["stack: Unknown option '--dwon' (try --help)"]);
  });

  it('rejects positional arguments', () => {
    const r = run('down');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unexpected argument 'down'");
  });
});
