import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('@spine/otc', () => {
  // `spine run-week` loads it: the S3 client and the migration runner cost a week run from the command line 0.3 s.
  it('loads neither the S3 client nor the migration runner', async () => {
    const script = `import { createRequire } from 'node:module';
      await import('@spine/otc');
      const loaded = Object.keys(createRequire(import.meta.url).cache);
      console.log(JSON.stringify(loaded.filter((path) => /node_modules\\/(@aws-sdk|node-pg-migrate|jiti)\\//.test(path))));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT });
    expect(JSON.parse(stdout)).toEqual([]);
  }, 30_000);
});
