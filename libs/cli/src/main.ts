import { buildProgram } from './program.ts';
import { reportFailure } from './runtime.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // A command asked for --json answers its failure in JSON too, so a script parses one format. Exits at once: a
  // service whose start failed part way (a worker whose PostgreSQL is down) may hold connections and its SIGTERM
  // handler, and would otherwise live on doing nothing, where its supervisor should start it again.
  process.exit(reportFailure(error, { json: process.argv.includes('--json') }));
}
