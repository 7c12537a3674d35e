// Entry point of the detached s3rver process that `npm run stack` starts:
//   node --import tsx dev/local-stack/src/s3-server-main.ts --port 4569 --directory .stack/s3
// It serves until SIGTERM/SIGINT, then closes the HTTP server and exits 0.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import S3rver from 's3rver';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    address: { type: 'string', default: '127.0.0.1' },
    directory: { type: 'string' },
  },
  strict: true,
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !values.directory) {
  process.stderr.write('usage: s3-server-main.ts --port <port> --directory <dir> [--address 127.0.0.1]\n');
  process.exit(2);
}

mkdirSync(values.directory, { recursive: true });
const server = new S3rver({ port, address: values.address, directory: values.directory, silent: false });
const address = await server.run();
process.stdout.write(`s3rver listening on ${address.address}:${address.port}, data in ${values.directory} (pid ${process.pid})\n`);

let closing = false;
const shutdown = (signal: string) => {
  if (closing) return;
  closing = true;
  process.stdout.write(`s3rver: ${signal} received, closing\n`);
  server.close().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`s3rver: close failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
  // Open keep-alive connections can hold close() open; do not hang a --down.
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
