/**
 * Runs the FINRA stand-in until SIGINT/SIGTERM:
 *   tsx dev/finra-stand-in/src/main.ts --fixtures <dir> [--port <n>] [--host <addr>] [--client-id <id> --client-secret <secret>]
 *     [--max-payload-bytes <n>] [--empty-204] [--no-record-headers] [--today YYYY-MM-DD]
 * Prints the base URL alone on stdout (so a parent process can read it) and logs requests as JSON on stderr.
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startFinraStandIn } from './server.ts';

const usage = 'usage: dev/finra-stand-in/src/main.ts --fixtures <dir> [--port <n>] [--host <addr>] [--client-id <id> --client-secret <secret>] [--max-payload-bytes <n>] [--empty-204] [--no-record-headers] [--today YYYY-MM-DD]';

const { values } = parseArgs({
  options: {
    fixtures: { type: 'string' },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'max-payload-bytes': { type: 'string' },
    'empty-204': { type: 'boolean', default: false },
    'no-record-headers': { type: 'boolean', default: false },
    today: { type: 'string' },
  },
});

const port = Number(values.port);
const clientId = values['client-id'];
const clientSecret = values['client-secret'];
const maxPayloadBytes = values['max-payload-bytes'] === undefined ? undefined : Number(values['max-payload-bytes']);
const today = values.today;
if (
  !values.fixtures || !Number.isInteger(port) || port < 0 || (clientId === undefined) !== (clientSecret === undefined) ||
  (maxPayloadBytes !== undefined && !(Number.isInteger(maxPayloadBytes) && maxPayloadBytes > 0)) ||
  (today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(today))
) {
  console.error(usage);
  process.exit(2);
}

const standIn = await startFinraStandIn({
  fixturesDir: values.fixtures,
  port,
  host: values.host,
  credentials: clientId && clientSecret ? { clientId, clientSecret } : undefined,
  maxPayloadBytes,
  emptyAnswer: values['empty-204'] ? '204' : '200',
  recordHeaders: !values['no-record-headers'],
  today: today === undefined ? undefined : () => today,
  logger: pino({ name: 'finra-stand-in', level: process.env.LOG_LEVEL ?? 'info' }, pino.destination(2)),
});
console.log(standIn.url);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void standIn.close().then(() => process.exit(0));
  });
}
