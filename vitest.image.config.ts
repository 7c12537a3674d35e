import { defineConfig } from 'vitest/config';

/**
 * The image's smoke test (`npm run test:image`, issue #20): infra/docker/test/image/build.sh builds the image with
 * buildah, then runs this config against it with podman. Outside the default `vitest run`: it needs root, the
 * container tools and a built image, which global-setup.ts checks.
 */
export default defineConfig({
  test: {
    name: 'image',
    include: ['infra/docker/test/image/**/*.test.ts'],
    globalSetup: ['infra/docker/test/image/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
