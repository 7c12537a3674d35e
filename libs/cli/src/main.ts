import { buildProgram } from './program.ts';
import { reportFailure } from './runtime.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  // A command asked for --json answers its failure in JSON too, so a script parses one format.
  process.exitCode = reportFailure(error, { json: process.argv.includes('--json') });
}
