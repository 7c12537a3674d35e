import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/database.ts';
import { runSpineUnder } from '../support/spine-cli.ts';

const RECORD_RESOLVED = fileURLToPath(new URL('../support/record-resolved-register.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'spine-command-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Packages a question a user types has no use for, and what loading each cost on Node 20 (150, 140, 55 ms and more):
 * a command reaching one through a package's index (`@spine/platform`, `@spine/research`, `@spine/scheduling`) pays
 * for it on every start.
 */
const SERVICE_PACKAGES = ['@aws-sdk/client-s3', 'bullmq', 'ioredis', 'node-pg-migrate', 'hyparquet-writer', 'express'];

/**
 * The packages (node_modules/<name>) whose modules `spine <args>` resolved, run to its end against the test database,
 * and how it ended.
 */
async function packagesLoadedBy(args: string[]): Promise<{ code: number; stderr: string; packages: string[] }> {
  const log = join(dir, `${args.join('-').replaceAll('/', '_')}.log`);
  const { code, stderr } = await runSpineUnder(['--import', RECORD_RESOLVED], args, { DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'error', SPINE_RESOLVED_LOG: log });
  const urls = readFileSync(log, 'utf8').split('\n');
  return { code, stderr, packages: [...new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []))] };
}

describe('the questions users type load what they answer with', () => {
  // An unknown batch: lineage loads the tree's modules and asks before it can say so (exit 2).
  const commands: [string[], number][] = [[['status'], 0], [['status', '--weeks', '208'], 0], [['lag'], 0], [['schedules', 'list'], 0],
    [['query', 'symbol', 'AAPL', '--tier', 'T1', '--json'], 0], [['calcs', 'list'], 0], [['lineage', 'no-such-batch'], 2]];
  for (const [args, exitCode] of commands) {
    it(`spine ${args.join(' ')}`, async () => {
      const { code, stderr, packages } = await packagesLoadedBy(args);
      expect(code, stderr).toBe(exitCode);
      // The hook saw the command's own imports: the database driver every one of them uses.
      expect(packages).toContain('pg');
      expect(packages.filter((p) => SERVICE_PACKAGES.includes(p))).toEqual([]);
    });
  }
});
