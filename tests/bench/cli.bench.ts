/**
 * bench:cli [--runs N]: the command line's own cost as a user pays it, `npx spine --help` and `npx spine status`
 * (on an empty migrated database), each run N times (default 10) from the checkout after one warm-up run (which
 * builds the CLI bundle if the sources changed). Prints the median and the slowest run of each, and `node -e 0` for
 * the floors: `npx` of a one-line bin in an empty package (what npx itself costs) and `node -e 0`. The same commands
 * through node_modules/.bin/spine show the CLI's own share. Targets (issue 21): --help <= 0.3 s, status <= 0.6 s.
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { benchDatabase } from './bench-database.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  process.stderr.write(`--runs must be a whole number, 1 or more, got "${values.runs}"\n`);
  process.exit(2);
}
const run = promisify(execFile);

async function seconds(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<number[]> {
  await run(command, args, { env, cwd });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run(command, args, { env, cwd });
    times.push((performance.now() - started) / 1000);
  }
  return times.sort((a, b) => a - b);
}

/** A package whose only bin prints one line: what `npx` costs before any of our code runs. */
function trivialPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spine-bench-npx-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'trivial', version: '1.0.0', bin: { trivial: 'trivial.mjs' } }));
  writeFileSync(join(dir, 'trivial.mjs'), '#!/usr/bin/env node\nconsole.log(1);\n');
  chmodSync(join(dir, 'trivial.mjs'), 0o755);
  mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
  symlinkSync('../../trivial.mjs', join(dir, 'node_modules/.bin/trivial'));
  return dir;
}

const db = await benchDatabase('cli');
const trivial = trivialPackage();
try {
  const env = { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' };
  const rows: [string, number[], number | undefined][] = [
    ['node -e 0', await seconds(process.execPath, ['-e', '0'], env), undefined],
    ['npx trivial', await seconds('npx', ['trivial'], env, trivial), undefined],
    ['npx spine --help', await seconds('npx', ['spine', '--help'], env), 0.3],
    ['npx spine status', await seconds('npx', ['spine', 'status'], env), 0.6],
    ['.bin/spine --help', await seconds('node_modules/.bin/spine', ['--help'], env), undefined],
    ['.bin/spine status', await seconds('node_modules/.bin/spine', ['status'], env), undefined],
  ];
  process.stdout.write(`node ${process.version}, ${RUNS} runs each after a warm-up\n`);
  for (const [name, times, target] of rows) {
    const median = times[Math.floor(times.length / 2)]!;
    process.stdout.write(`${name.padEnd(18)} median ${median.toFixed(3)} s  slowest ${times.at(-1)!.toFixed(3)} s${target ? `  target <= ${target} s: ${median <= target ? 'met' : 'NOT met'}` : ''}\n`);
  }
} finally {
  rmSync(trivial, { recursive: true, force: true });
  await db.drop();
}
