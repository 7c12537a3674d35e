import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The boundary rule's messages for one import written in a file at `path`. */
async function boundaryErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: `${ROOT}/${path}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

/** The Nx rule's messages for one import written in a file at `path` (the project is the package holding `path`). */
async function layerErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: `${ROOT}/${path}` });
  return result!.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message);
}

// The Nx rule reads the cached project graph and skips itself, with a warning only, when there is none (a fresh clone).
beforeAll(async () => {
  await createProjectGraphAsync({ exitOnError: false, resetDaemonClient: false });
}, 60_000);

describe('layers by project tag (@nx/enforce-module-boundaries)', () => {
  it('lets the platform import no workspace package', async () => {
    expect(await layerErrors('libs/platform/src/x.ts', "import { QUEUES } from '@spine/orchestration/queue-names';")).toHaveLength(1);
  });

  it('lets a dataset build on the platform only', async () => {
    expect(await layerErrors('libs/otc/src/x.ts', "import { loadConfig } from '@spine/platform/config';")).toEqual([]);
    expect(await layerErrors('libs/otc/src/x.ts', "import { migrationsDir } from '@spine/migrations';"))
      .toEqual([expect.stringMatching(/"type:dataset" can only depend on libs tagged with "type:platform"/)]);
  });

  it('lets research build on the platform only: each dataset brings its questions through its definition', async () => {
    expect(await layerErrors('libs/research/src/x.ts', "import { loadConfig } from '@spine/platform/config';")).toEqual([]);
    expect(await layerErrors('libs/research/src/x.ts', "import { OTC_ENDPOINTS } from '@spine/otc/research/endpoints';"))
      .toEqual([expect.stringMatching(/"type:research" can only depend on libs tagged with "type:platform"/)]);
  });

  it('lets the registry import the platform\'s migrations (it lists every migrations directory), and orchestration not', async () => {
    // migrationDirs() of @spine/datasets: the platform's directory (@spine/migrations) and each definition's own.
    expect(await layerErrors('libs/datasets/src/x.ts', "import { migrationsDir } from '@spine/migrations';")).toEqual([]);
    expect(await layerErrors('libs/orchestration/src/x.ts', "import { migrationsDir } from '@spine/migrations';")).toHaveLength(1);
  });

  it('lets the apps build the sources, and orchestration only take them as the platform\'s SourceCatalog', async () => {
    expect(await layerErrors('apps/scheduler/src/x.ts', "import { sourceCatalog } from '@spine/finra-source';")).toEqual([]);
    expect(await layerErrors('libs/orchestration/src/x.ts', "import { sourceCatalog } from '@spine/finra-source';")).toHaveLength(1);
    expect(await layerErrors('libs/scheduling/src/x.ts', "import { sourceCatalog } from '@spine/finra-source';")).toHaveLength(1);
  });

  it('keeps datasets and research out of orchestration, the sources and the apps', async () => {
    for (const path of ['libs/orchestration/src/x.ts', 'libs/scheduling/src/x.ts', 'apps/worker/src/x.ts', 'libs/cli/src/x.ts', 'libs/finra-source/src/x.ts']) {
      expect(await layerErrors(path, "import { TIERS } from '@spine/otc/tiers';"), path).toEqual([expect.stringMatching(/can only depend on/)]);
    }
    expect(await layerErrors('libs/orchestration/src/x.ts', "import { allPages } from '@spine/research';")).toHaveLength(1);
    expect(await layerErrors('apps/dashboard/src/x.ts', "import { allPages } from '@spine/research';")).toEqual([]);
    expect(await layerErrors('apps/worker/src/x.ts', "import { datasets } from '@spine/datasets';")).toEqual([]);
  });

  it('lets no production layer import a development-only workspace (type:dev), and those import any layer', async () => {
    expect(await layerErrors('libs/cli/src/x.ts', "import { ensureStack } from '@spine/local-stack';")).toEqual([expect.stringMatching(/"type:cli" can only depend on/)]);
    // Nx reports these two as cycles (each of these workspaces builds on the one importing it): an error all the same.
    expect(await layerErrors('libs/otc/src/x.ts', "import { writeWeekFile } from '@spine/otc-synthetic';")).toHaveLength(1);
    expect(await layerErrors('libs/finra-source/src/x.ts', "import { startFinraStandIn } from '@spine/finra-stand-in';")).toHaveLength(1);
    expect(await layerErrors('dev/demo/src/x.ts', "import { spawnSpine } from '@spine/cli/spawn-spine';")).toEqual([]);
    expect(await layerErrors('dev/otc-synthetic/src/x.ts', "import { TIERS } from '@spine/otc/tiers';")).toEqual([]);
  });
});

describe('module boundaries (eslint.config.js)', () => {
  it("takes zod as a namespace (import * as z), which a bundle can trim, in what ships and in tests", async () => {
    for (const path of ['libs/platform/src/x.ts', 'libs/cli/src/commands/x.ts', 'libs/otc/src/x.ts', 'tests/x.test.ts']) {
      expect(await boundaryErrors(path, "import { z } from 'zod';"), path).toEqual([expect.stringMatching(/import \* as z from 'zod'/)]);
      expect(await boundaryErrors(path, "import * as z from 'zod';"), path).toEqual([]);
      expect(await boundaryErrors(path, "import type { z } from 'zod';"), path).toEqual([]);
      expect(await boundaryErrors(path, "import { type z } from 'zod';"), path).toEqual([]);
    }
  });

  it('keeps the platform domain-free', async () => {
    expect(await boundaryErrors('libs/platform/src/x.ts', "import { DOMAIN } from '@spine/otc';")).toEqual([expect.stringMatching(/domain-free/)]);
    expect(await boundaryErrors('libs/platform/src/db/x.ts', "import { QUEUES } from '@spine/orchestration/queue-names';")).toHaveLength(1);
    expect(await boundaryErrors('libs/platform/src/x.ts', "import pg from 'pg';")).toEqual([]);
  });

  it('keeps the development-only workspaces (dev/*) out of what ships, lazily imported or not', async () => {
    for (const path of ['libs/orchestration/src/x.ts', 'libs/otc/src/x.ts', 'libs/finra-source/src/x.ts', 'apps/worker/src/x.ts', 'libs/cli/src/commands/x.ts']) {
      expect(await boundaryErrors(path, "import { startFinraStandIn } from '@spine/finra-stand-in';"), path).toEqual([expect.stringMatching(/development-only/)]);
      expect(await boundaryErrors(path, "import { writeWeekFile } from '@spine/otc-synthetic/week-generator';"), path).toEqual([expect.stringMatching(/development-only/)]);
      expect(await boundaryErrors(path, "import { ensureStack } from '@spine/local-stack';"), path).toEqual([expect.stringMatching(/development-only/)]);
      expect(await boundaryErrors(path, "const { runDemo } = await import('@spine/demo/run-demo');"), path).toEqual([expect.stringMatching(/development-only/)]);
    }
    expect(await boundaryErrors('libs/platform/src/x.ts', "const { ensureStack } = await import('@spine/local-stack');")).toEqual([expect.stringMatching(/development-only/)]);
    // Tests and the development workspaces themselves may use them.
    expect(await boundaryErrors('tests/x.test.ts', "import { startFinraStandIn } from '@spine/finra-stand-in';")).toEqual([]);
    expect(await boundaryErrors('dev/demo/src/x.ts', "import { startFinraStandIn } from '@spine/finra-stand-in';")).toEqual([]);
  });

  it('lets the layers that run every dataset and the CLI reach datasets only through the registry', async () => {
    for (const path of ['libs/orchestration/src/x.ts', 'libs/scheduling/src/x.ts', 'libs/operations/src/x.ts', 'libs/research/src/x.ts', 'apps/dashboard/src/x.ts',
      'libs/cli/src/commands/x.ts']) {
      expect(await boundaryErrors(path, "import { TIERS } from '@spine/otc';"), path).toEqual([expect.stringMatching(/from the registry/)]);
      expect(await boundaryErrors(path, "const { runWeek } = await import('@spine/otc/pipeline/run-week');"), path).toHaveLength(1);
      expect(await boundaryErrors(path, "import { datasets } from '@spine/datasets';"), path).toEqual([]);
    }
    expect(await boundaryErrors('dev/demo/src/x.ts', "import { parseTier } from '@spine/otc/tiers';")).toEqual([]);
  });

  it('lets no library import an app', async () => {
    expect(await boundaryErrors('libs/operations/src/x.ts', "import { startDashboard } from '@spine/dashboard';")).toEqual([expect.stringMatching(/an app is wiring/)]);
    expect(await boundaryErrors('libs/cli/src/commands/x.ts', "const { startDashboard } = await import('@spine/dashboard');")).toEqual([]);
  });
});

describe('environment variables', () => {
  const envErrors = async (path: string, source: string) => {
    const [result] = await eslint.lintText(`${source}\nexport {};\n`, { filePath: `${ROOT}/${path}` });
    return result!.messages.filter((m) => m.ruleId === 'no-restricted-properties').map((m) => m.message);
  };

  it("are read through the package's own schema: process.env only in its *-env.ts module and the platform's config", async () => {
    const read = 'export const port = process.env.DASHBOARD_PORT;';
    expect(await envErrors('apps/dashboard/src/dashboard-server.ts', read)).toHaveLength(1);
    expect(await envErrors('libs/orchestration/src/publication-check.ts', read)).toHaveLength(1);
    expect(await envErrors('apps/dashboard/src/dashboard-env.ts', read)).toEqual([]);
    expect(await envErrors('libs/platform/src/config.ts', read)).toEqual([]);
  });
});
