// A module-resolution hook (node:module register) that appends every module URL the process resolves, one a line, to
// the file SPINE_RESOLVED_LOG names: what a command loads, for tests that hold commands to what they use.
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.SPINE_RESOLVED_LOG) appendFileSync(process.env.SPINE_RESOLVED_LOG, `${resolved.url}\n`);
  return resolved;
}
