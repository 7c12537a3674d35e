// `npm run stack` — see infra/README.md. stdout carries only the settled environment (KEY=VALUE lines, or one JSON
// object with --json); progress goes to stderr.
import { parseArgs } from 'node:util';
import { describeError } from './errors.ts';
import { printableEnv, toShellLines } from './env-output.ts';
import { stderrLog } from './log.ts';
import { ensureStack, stopStack } from './stack.ts';

const HELP = `Usage: npm run stack [-- --down] [-- --json]

Makes PostgreSQL, Redis and an S3-compatible endpoint available on loopback and prints the environment:
  DATABASE_URL, REDIS_URL, S3_ENDPOINT, S3_BUCKET, S3_REGION, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY

For each service: the env var if set (checked), else a server already answering on the standard port
(5432, 6379, S3_PORT or 4569), else one started here (installed with apt-get when missing, as root).
Creates the database and the bucket and applies migrations. Running it again is harmless.

Options:
  --down   stop the servers an earlier \`npm run stack\` started (recorded in .stack/state.json)
  --json   print one JSON object instead of KEY=VALUE lines
  --help   show this help

Environment: DATABASE_URL, REDIS_URL, S3_ENDPOINT, S3_BUCKET (spine-raw), S3_REGION (us-east-1),
  S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY (default S3RVER/S3RVER), S3_PORT (4569), SPINE_STACK_DIR (.stack)

Example: set -a; eval "$(npm run -s stack)"; set +a
`;

async function main(argv: string[]): Promise<number> {
  let flags: { down?: boolean; json?: boolean; help?: boolean };
  try {
    flags = parseArgs({
      args: argv,
      options: { down: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (err) {
    process.stderr.write(`stack: ${(err as Error).message} (try --help)\n`);
    return 2;
  }
  if (flags.help) {
    process.stdout.write(HELP);
    return 0;
  }

  try {
    if (flags.down) {
      const result = await stopStack({ log: stderrLog });
      if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      return 0;
    }

    const result = await ensureStack({ log: stderrLog });
    const { entries, withheld } = printableEnv(result.env);
    for (const key of withheld) stderrLog(`stack: ${key} comes from your environment and holds a secret: not printed`);
    const summary = result.services.map((s) => `${s.service} ${s.source}`).join(', ');
    stderrLog(`stack: ready (${summary})${result.started.length ? '; stop what was started with: npm run stack -- --down' : ''}`);
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ env: Object.fromEntries(entries), started: result.started, services: result.services, withheld })}\n`);
    } else {
      process.stdout.write(toShellLines(entries));
    }
    return 0;
  } catch (err) {
    process.stderr.write(`stack: error: ${describeError(err)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
