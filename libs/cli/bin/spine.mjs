#!/usr/bin/env node
// Runs the CLI from its esbuild bundle (launcher/cli-bundle.mjs), rebuilt when a source changed. Where the bundle
// cannot be built or written (a read-only checkout), from the TypeScript through tsx's loader, which is slower.
import module from 'node:module';

// Node 22.8 and later keep V8's compiled code of the bundle and its dependencies between starts, a quarter of
// `spine --help` on Node 24; Node 20 has no such cache. Where the cache lives (os.tmpdir() unless NODE_COMPILE_CACHE
// says), or whether it is used (NODE_DISABLE_COMPILE_CACHE), is Node's to decide.
module.enableCompileCache?.();
const { bundleEntry } = await import('../launcher/cli-bundle.mjs');

let entry;
try {
  entry = await bundleEntry();
} catch (error) {
  process.stderr.write(`spine: running from TypeScript (slower): could not build the CLI bundle: ${error.message.split('\n')[0]}\n`);
}
if (entry) {
  await import(entry);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/main.ts');
}
