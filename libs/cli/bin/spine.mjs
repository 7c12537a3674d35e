#!/usr/bin/env node
// Runs the CLI from its esbuild bundle (launcher/cli-bundle.mjs), rebuilt when a source changed. Where the bundle
// cannot be built or written (a read-only checkout), from the TypeScript through tsx's loader, which is slower.
import { bundleEntry } from '../launcher/cli-bundle.mjs';

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
