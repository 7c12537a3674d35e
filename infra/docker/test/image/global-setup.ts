import type { TestProject } from 'vitest/node';
import { createRunDatabase } from '../../../../tests/support/global-setup.ts';

/**
 * The image under test (built by build.sh, which sets SPINE_TEST_IMAGE and CONTAINERS_CONF) and an empty throwaway
 * database: the image's own `db migrate` is what creates its schema. Dropped at the end.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const image = process.env.SPINE_TEST_IMAGE;
  if (!image || !process.env.CONTAINERS_CONF) throw new Error('the image smoke test runs from `npm run test:image`, which builds the image first');
  const database = await createRunDatabase('spine_image', { migrate: false });
  project.provide('databaseUrl', database.url);
  project.provide('testRunId', database.name);
  project.provide('image', image);
  return () => database.drop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    image: string;
  }
}
