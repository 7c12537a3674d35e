import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`, issue #12): kills, restarts and starves its own PostgreSQL, Redis, S3 and
 * FINRA stand-in, so it is a config of its own, outside the default `vitest run`, run by CI after `npm test`.
 * Files run one at a time: they share the run's private PostgreSQL and Redis processes, which scenarios restart.
 */
export default defineConfig({
  test: {
    name: 'faults',
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['tests/faults/support/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
