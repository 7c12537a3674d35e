import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The boundary rule's messages for one import written in a file at `path`. */
async function boundaryErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: `${ROOT}/${path}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

describe('module boundaries (eslint.config.js)', () => {
  it('keeps the platform domain-free', async () => {
    expect(await boundaryErrors('libs/platform/src/x.ts', "import { DOMAIN } from '@spine/otc';")).toEqual([expect.stringMatching(/domain-free/)]);
    expect(await boundaryErrors('libs/platform/src/db/x.ts', "import { QUEUES } from '@spine/orchestration/queue-names';")).toHaveLength(1);
    expect(await boundaryErrors('libs/platform/src/x.ts', "import pg from 'pg';")).toEqual([]);
  });

  it('keeps test doubles out of what ships, except the demo', async () => {
    for (const path of ['libs/orchestration/src/x.ts', 'apps/worker/src/x.ts', 'libs/cli/src/commands/x.ts']) {
      expect(await boundaryErrors(path, "import { startFinraStandIn } from '@spine/finra-source/stand-in';"), path).toEqual([expect.stringMatching(/test doubles/)]);
      expect(await boundaryErrors(path, "import { writeWeekFile } from '@spine/otc/synthetic/week-generator';"), path).toContainEqual(expect.stringMatching(/test doubles/));
      expect(await boundaryErrors(path, "import { ensureStack } from '@spine/local-stack';"), path).toHaveLength(1);
    }
    expect(await boundaryErrors('libs/cli/src/demo/x.ts', "import { startFinraStandIn } from '@spine/finra-source/stand-in';")).toEqual([]);
  });

  it('lets the layers that run every dataset and the CLI reach datasets only through the registry', async () => {
    for (const path of ['libs/orchestration/src/x.ts', 'libs/scheduling/src/x.ts', 'libs/operations/src/x.ts', 'apps/dashboard/src/x.ts', 'libs/cli/src/commands/x.ts']) {
      expect(await boundaryErrors(path, "import { TIERS } from '@spine/otc';"), path).toEqual([expect.stringMatching(/from the registry/)]);
      expect(await boundaryErrors(path, "const { runWeek } = await import('@spine/otc/pipeline/run-week');"), path).toHaveLength(1);
      expect(await boundaryErrors(path, "import { datasets } from '@spine/datasets';"), path).toEqual([]);
    }
    expect(await boundaryErrors('libs/cli/src/demo/x.ts', "import { parseTier } from '@spine/otc/tiers';")).toEqual([]);
  });

  it('lets no library import an app', async () => {
    expect(await boundaryErrors('libs/operations/src/x.ts', "import { startDashboard } from '@spine/dashboard';")).toEqual([expect.stringMatching(/an app is wiring/)]);
    expect(await boundaryErrors('libs/cli/src/commands/x.ts', "const { startDashboard } = await import('@spine/dashboard');")).toEqual([]);
  });
});
